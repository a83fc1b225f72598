//! Importing 100 000 vehicles into a fresh SQLite database, from parsing
//! the JSONL to the committed transaction. Run: `cargo bench --bench import`.

use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use dajian::db::Db;

const N: usize = 100_000;
/// GA 36 plate characters (no I, O).
const ALNUM: &[u8] = b"0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";

fn plate(mut i: usize) -> String {
    let mut tail = String::new();
    for _ in 0..5 {
        tail.insert(0, ALNUM[i % ALNUM.len()] as char);
        i /= ALNUM.len();
    }
    format!("鲁H{tail}")
}

fn write_registry(dir: &std::path::Path) {
    let mut s = String::with_capacity(N * 700);
    for i in 0..N {
        s.push_str(&format!(
            r#"{{"plate":"{}","vin":"LZZ1CLVB5JA{:06}","engine_number":"MC{i:08}","vehicle_type":"重型半挂牵引车","brand_model":"豪沃牌ZZ4257V324HE1B","use_character":"货运","owner":"济宁顺达大件运输有限公司","owner_uscc":"91370800MA3C5G1X0G","register_date":"2019-03-08","total_mass_kg":25000,"curb_mass_kg":9200,"rated_load_kg":null,"towing_mass_kg":60000,"length_mm":6900,"width_mm":2500,"height_mm":3500,"axles":3,"tyres":10,"inspection_valid_until":"2027-03","insurance_valid_until":"2027-03-07","rtc_number":"鲁交运管济字{i:012}号","rtc_operator_uscc":"91370800MA3C5G1X0G","rtc_valid_until":"2027-03-07","status":"normal"}}"#,
            plate(i),
            i % 1_000_000
        ));
        s.push('\n');
    }
    std::fs::write(dir.join("vehicles.jsonl"), s).unwrap();
}

fn bench(c: &mut Criterion) {
    let data = tempfile::tempdir().unwrap();
    write_registry(data.path());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut g = c.benchmark_group("registry import");
    g.sample_size(10).measurement_time(Duration::from_secs(60));
    g.bench_function("100 000 vehicles into a fresh SQLite file", |b| {
        b.iter_batched(
            || {
                let dir = tempfile::tempdir().unwrap();
                let db = rt.block_on(Db::open(&format!("sqlite://{}", dir.path().join("b.sqlite").display()))).unwrap();
                (dir, db)
            },
            |(dir, db)| {
                let report = rt.block_on(dajian::registry::import_dir(&db, data.path())).unwrap();
                assert_eq!(report.files[0].rows, N);
                drop(dir);
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
