//! `insta` snapshots of the code generated for small fixtures: any change to the generator's
//! output shows up as a reviewable diff. (The fixtures are also compiled by the corpus test.)

use integration_tests::repo_root;
use postman_codegen::Generator;

fn generate_fixture(name: &str) -> postman_codegen::emit::Files {
    let dir = repo_root().join("tests/fixtures");
    let mut generator = Generator::new();
    generator.collection(dir.join(format!("{name}.postman_collection.json"))).crate_name(name);
    let env = dir.join(format!("{name}.postman_environment.json"));
    if env.exists() {
        generator.environment(env);
    }
    generator.generate_files().expect("fixture generates").files
}

#[test]
fn petstore() {
    let files = generate_fixture("petstore");
    for (path, contents) in &files {
        if path.starts_with("src/runtime/") {
            continue;
        }
        insta::assert_snapshot!(format!("petstore__{}", path.replace('/', "__")), contents);
    }
}

#[test]
fn secrets_from_environments_never_reach_generated_files() {
    let files = generate_fixture("petstore");
    for (path, contents) in &files {
        assert!(!contents.contains("CANARY"), "{path} leaks a credential value");
    }
}
