//! File parts of multipart bodies.

use std::path::Path;

/// A file sent as one part of a `multipart/form-data` body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilePart {
    /// The file name sent in the part's `Content-Disposition`.
    pub file_name: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// The part's content type (`application/octet-stream` when `None`).
    pub content_type: Option<String>,
}

impl FilePart {
    /// A part from bytes in memory.
    pub fn new(file_name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        FilePart { file_name: file_name.into(), bytes: bytes.into(), content_type: None }
    }

    /// A part read from a file on disk; the file name is the path's last component.
    pub fn from_path(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let bytes = std::fs::read(path)?;
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        Ok(FilePart::new(file_name, bytes))
    }

    /// Sets the part's content type.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The reqwest part.
    pub fn to_part(&self) -> reqwest::multipart::Part {
        let part = reqwest::multipart::Part::bytes(self.bytes.clone()).file_name(self.file_name.clone());
        match &self.content_type {
            // An invalid content type falls back to reqwest's default rather than failing.
            Some(mime) => match reqwest::multipart::Part::bytes(self.bytes.clone())
                .file_name(self.file_name.clone())
                .mime_str(mime)
            {
                Ok(with_mime) => with_mime,
                Err(_) => part,
            },
            None => part,
        }
    }
}
