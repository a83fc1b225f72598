#!/usr/bin/env bash
# The born-digital and scanned PDF versions of a set made with
# `dataset generate --pdf`, as sets `dajian bench --dataset` reads: the
# same applications with their documents named as the PDFs (and the
# born-digital truth, whose clean layouts the PDFs print).
#
#   cargo run --release -p dajian-datasets -- dataset generate --seed 13 --apps 20 --pdf --out /tmp/pdfset
#   benches/pdf_sets.sh /tmp/pdfset        # makes /tmp/pdfset-digital and /tmp/pdfset-scan
#   target/release/dajian bench --dataset /tmp/pdfset-digital
set -euo pipefail
src="${1:?usage: benches/pdf_sets.sh GENERATED_SET}"
for kind in digital scan; do
    out="$src-$kind"
    rm -rf "$out" && mkdir -p "$out/apps"
    cp -r "$src/registry" "$src/summary.json" "$out/"
    for app in "$src"/apps/*/; do
        name=$(basename "$app")
        mkdir -p "$out/apps/$name"
        if [ "$kind" = digital ]; then
            cp "$app"/*.pdf "$out/apps/$name/" && rm -f "$out/apps/$name"/*.scan.pdf
            sed 's/\.jpg"/.pdf"/g' "$app/application.json" > "$out/apps/$name/application.json"
            cp "$app/truth.pdf.json" "$out/apps/$name/truth.json"
        else
            cp "$app"/*.scan.pdf "$out/apps/$name/"
            sed 's/\.jpg"/.scan.pdf"/g' "$app/application.json" > "$out/apps/$name/application.json"
            sed 's/\.jpg"/.scan.pdf"/g' "$app/truth.json" > "$out/apps/$name/truth.json"
        fi
    done
    echo "$out"
done
