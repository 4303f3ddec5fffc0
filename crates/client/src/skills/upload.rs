//! [`SkillUpload`]: the files of a Skill (or of a new version), and how
//! they are read from a folder.

use std::path::{Path, PathBuf};

use claude_rs_transport::RequestBody;

use crate::core::error::{Error, InvalidRequestKind};
use crate::core::multipart::Form;
use crate::core::upload::FileUpload;

/// What to upload to create a Skill or one of its versions: its files, each
/// named by its path under the Skill's top-level folder
/// (`report-writer/SKILL.md`), or one zip of that folder; and, for a new
/// Skill, its display name.
#[derive(Debug, Default)]
pub struct SkillUpload {
    files: Vec<FileUpload>,
    display_name: Option<String>,
}

impl SkillUpload {
    /// An empty upload; add files with [`file`](Self::file).
    pub fn new() -> Self {
        Self::default()
    }

    /// A Skill as one zip archive of its folder.
    pub fn zip(archive: FileUpload) -> Self {
        Self::new().file(archive)
    }

    /// Every file under `dir` (a folder with a `SKILL.md`), read without
    /// blocking the runtime and named `<folder name>/<path in the folder>`.
    /// Hidden files and folders (`.git`, `.DS_Store`) are left out. A folder
    /// without `SKILL.md` is refused before anything is sent.
    pub async fn from_dir(dir: impl AsRef<Path>) -> Result<Self, Error> {
        let dir = dir.as_ref();
        let top = dir
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .ok_or_else(|| body_error(format!("{} names no folder", dir.display()), None))?;
        let mut found = Vec::new();
        collect(dir, &mut found).await?;
        found.sort();
        if !found.iter().any(|path| path == &dir.join("SKILL.md")) {
            let why = format!("{} has no SKILL.md at its root", dir.display());
            return Err(body_error(why, None));
        }
        let mut upload = Self::new();
        for path in found {
            let relative = path.strip_prefix(dir).unwrap_or(&path);
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let name = format!("{top}/{}", parts.join("/"));
            upload = upload.file(FileUpload::from_path(&path).await?.with_filename(name));
        }
        Ok(upload)
    }

    /// Adds a file, named by its path under the Skill's folder.
    pub fn file(mut self, file: FileUpload) -> Self {
        self.files.push(file);
        self
    }

    /// The Skill's display name (a new Skill only; default: the `name` of
    /// its `SKILL.md`).
    pub fn display_name(mut self, name: impl Into<String>) -> Self {
        self.display_name = Some(name.into());
        self
    }

    /// The names of the files, in upload order.
    pub fn filenames(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(FileUpload::filename)
    }

    /// The form: `display_name` (when `with_name`), then one `files[]` part
    /// per file, as the official SDKs send them.
    pub(crate) fn encode(self, with_name: bool) -> Result<(RequestBody, String), Error> {
        if self.files.is_empty() {
            return Err(body_error(
                "a Skill upload needs at least one file".to_owned(),
                None,
            ));
        }
        let mut form = Form::new();
        if let Some(name) = self.display_name.filter(|_| with_name) {
            form = form.text("display_name", &name);
        }
        for file in self.files {
            form = form.file("files[]", file);
        }
        form.encode()
    }
}

fn body_error(message: String, source: Option<std::io::Error>) -> Error {
    Error::InvalidRequest {
        kind: InvalidRequestKind::Body,
        message,
        source: source.map(|e| Box::new(e) as _),
    }
}

/// Every non-hidden file below `dir`.
async fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let read_error =
            |e| body_error(format!("cannot read the folder {}", dir.display()), Some(e));
        let mut entries = tokio::fs::read_dir(&dir).await.map_err(read_error)?;
        while let Some(entry) = entries.next_entry().await.map_err(read_error)? {
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            match entry.file_type().await.map_err(read_error)? {
                kind if kind.is_dir() => pending.push(path),
                kind if kind.is_file() => out.push(path),
                _ => {}
            }
        }
    }
    Ok(())
}
