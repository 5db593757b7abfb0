#[test]
fn probe() {
    let dir = integration_tests::repo_root().join("tests/fixtures");
    let g = postman_codegen::Generator::new()
        .collection(dir.join("hostile.postman_collection.json"))
        .environment(dir.join("hostile.postman_environment.json"))
        .crate_name("hostile").generate_files().unwrap();
    println!("{:?}", g.warnings);
    let out = std::path::Path::new("/tmp/h/ws");
    let _ = std::fs::create_dir_all(out);
    let r = integration_tests::check_crates(out, &[("hostile".to_string(), g.files)], &["clippy", "--quiet", "--all-targets", "--all-features", "--", "-D", "warnings"]);
    println!("{r:?}");
}
