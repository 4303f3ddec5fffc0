//! Uploads a PDF with the Files API, asks Claude about it by file id, then
//! deletes the file.
//!
//! ```sh
//! cargo run --example files -- [path/to/file.pdf] ["question"]
//! ```
//!
//! Without a path, a one-page PDF is generated. Uses the real API when
//! `ANTHROPIC_API_KEY` is set (at `ANTHROPIC_BASE_URL` if given), else the
//! embedded mock, scripted with the answer the API gives about the generated
//! PDF (the mock stores the upload but does not read it).

#![allow(clippy::print_stdout)]

mod common;

use claude_rs_client::files::{FILES_API_BETA, FileUpload};
use claude_rs_mock::MockResponse;
use claude_rs_types::content::DocumentBlock;
use claude_rs_types::{
    content::ContentBlock, model::Model, request::CreateMessageRequest, request::MessageParam,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next();
    let question = args.next();
    // The mock can only be scripted for the document and question it knows.
    let own_input = path.is_some() || question.is_some();
    let upload = match path {
        Some(path) => FileUpload::from_path(path).await?,
        None => FileUpload::from_bytes("note.pdf", "application/pdf", one_page_pdf()),
    };
    let question =
        question.unwrap_or_else(|| "What is the secret word in this document?".to_owned());

    let target = common::connect().await?;
    // On the mock, script what the API would say after reading the PDF.
    target.script(|| {
        vec![MockResponse::text(if own_input {
            "I'm the claude-rs mock standing in for Claude: I received your document \
             but cannot read it. Set ANTHROPIC_API_KEY to ask Claude about it."
        } else {
            "The secret word in this document is \"mango\"."
        })]
    });
    let files = target.client.files();
    let file = files.upload(upload).await?;
    eprintln!(
        "uploaded {} as {} ({} bytes)",
        file.filename, file.id, file.size_bytes
    );

    let request = CreateMessageRequest::new(
        Model::CLAUDE_SONNET_5,
        512,
        vec![MessageParam::user(vec![
            ContentBlock::from(DocumentBlock::file(&file.id)),
            ContentBlock::from(question.as_str()),
        ])],
    );
    // Messages that reference uploaded files need the Files API beta too.
    let reply = target
        .client
        .messages()
        .create(request)
        .beta(FILES_API_BETA)
        .await;
    // Delete the file whatever the answer was.
    let deleted = files.delete(&file.id).await;
    println!("{}", reply?.text());
    eprintln!("deleted {}", deleted?.id);
    Ok(())
}

/// A minimal valid one-page PDF saying "The secret word is mango.", with
/// its cross-reference table computed.
fn one_page_pdf() -> Vec<u8> {
    let text = "BT /F1 24 Tf 72 720 Td (The secret word is mango.) Tj ET";
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_owned(),
        format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}
