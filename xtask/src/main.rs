fn main() {
    for p in std::env::args().skip(1) {
        let t = std::time::Instant::now();
        match codegen::load::load_file(p.as_ref()).and_then(|s| codegen::normalize::normalize(&s)) {
            Ok(api) => {
                println!(
                    "{p}: ok {} ops {} types in {:?}",
                    api.operations.len(),
                    api.types.len(),
                    t.elapsed()
                );
                for w in &api.warnings {
                    println!("  warning: {w}");
                }
            }
            Err(e) => println!("{e}"),
        }
    }
}
