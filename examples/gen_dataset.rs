//! Generates a synthetic dataset until the CLI has `dajian dataset generate`:
//! `cargo run --release --example gen_dataset -- --seed 1 --apps 40 --out datasets/dev`
fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let get = |k: &str| args.iter().position(|a| a == k).and_then(|i| args.get(i + 1)).cloned();
    let seed: u64 = get("--seed").unwrap_or_else(|| "1".into()).parse()?;
    let apps: usize = get("--apps").unwrap_or_else(|| "40".into()).parse()?;
    let out = get("--out").unwrap_or_else(|| "datasets/scratch".into());
    if args.iter().any(|a| a == "--no-render") {
        let mut p = dajian::dataset::GenerateParams::new(seed, apps, &out);
        p.render = false;
        let s = dajian::dataset::generate(&p)?;
        println!("{}", serde_json::to_string_pretty(&s)?);
        return Ok(());
    }
    dajian::dataset::cli_generate(seed, apps, std::path::Path::new(&out))
}
