//! The runtime files copied verbatim into every generated crate as `src/runtime/`.
//! They are compiled and tested as the `postman-codegen-runtime` crate.

macro_rules! runtime_files {
    ($($name:literal),* $(,)?) => {
        /// `(file name, contents)` of every runtime file.
        pub const RUNTIME_FILES: &[(&str, &str)] = &[
            $(($name, include_str!(concat!("../../runtime/src/runtime/", $name)))),*
        ];
    };
}

/// The runtime's pagination loop, copied as `src/paginate.rs` into crates with a paginated
/// request (only those depend on `futures-util`).
pub const PAGINATE_FILE: &str = include_str!("../../runtime/src/paginate.rs");

runtime_files!(
    "auth.rs",
    "client.rs",
    "dynamic.rs",
    "error.rs",
    "execute.rs",
    "file.rs",
    "mod.rs",
    "oauth.rs",
    "path_param.rs",
    "response.rs",
    "retry.rs",
    "send.rs",
    "sign.rs",
    "sign_asap.rs",
    "sign_awsv4.rs",
    "sign_digest.rs",
    "sign_edgegrid.rs",
    "sign_hawk.rs",
    "sign_jwt.rs",
    "sign_ntlm.rs",
    "sign_oauth1.rs",
    "token.rs",
    "vars.rs",
);

#[cfg(test)]
mod tests {
    #[test]
    fn every_runtime_file_is_listed() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/runtime/src/runtime");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        let listed: Vec<&str> = super::RUNTIME_FILES.iter().map(|(n, _)| *n).collect();
        assert_eq!(on_disk, listed);
    }
}
