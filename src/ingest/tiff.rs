//! Multi-page TIFF, as scanners write a document of several sheets.
//!
//! `image` decodes only a TIFF's first directory. Each further page is read
//! by pointing the file's header at that page's directory (its offset found
//! by walking the chain with `tiff`, which refuses cycles) and decoding the
//! result as usual, so every page gets the same decoders, limits and EXIF
//! handling as a single image.

use std::io::Cursor;

use super::{DecodeLimits, IngestError, Page};

/// Every page of the TIFF in `bytes`.
pub(super) fn pages(bytes: &[u8], name: &str, limits: &DecodeLimits) -> Result<Vec<Page>, IngestError> {
    let offsets = directory_offsets(bytes, limits.max_pages as usize + 1)
        .map_err(|e| IngestError::Corrupt { name: name.to_string(), reason: e.to_string() })?;
    if offsets.len() > limits.max_pages as usize {
        return Err(IngestError::TooManyPages { name: name.to_string(), pages: offsets.len(), limit: limits.max_pages });
    }
    let mut out = Vec::with_capacity(offsets.len());
    for (i, &offset) in offsets.iter().enumerate() {
        let mut page = if i == 0 {
            super::decode_one(bytes, name, limits)?
        } else {
            let patched = with_first_directory(bytes, offset)
                .ok_or_else(|| IngestError::Corrupt { name: name.to_string(), reason: format!("page {}: bad directory offset", i + 1) })?;
            super::decode_one(&patched, name, limits)?
        };
        page.number = i as u32 + 1;
        out.push(page);
    }
    Ok(out)
}

/// Offsets of the file's image directories, in order, at most `max`.
fn directory_offsets(bytes: &[u8], max: usize) -> Result<Vec<u64>, tiff::TiffError> {
    let mut decoder = tiff::decoder::Decoder::new(Cursor::new(bytes))?;
    let mut out = vec![];
    if let Some(p) = decoder.ifd_pointer() {
        out.push(p.0);
    }
    while out.len() < max && decoder.more_images() {
        decoder.next_image()?;
        if let Some(p) = decoder.ifd_pointer() {
            out.push(p.0);
        }
    }
    Ok(out)
}

/// `bytes` with the header's first-directory offset set to `offset`.
fn with_first_directory(bytes: &[u8], offset: u64) -> Option<Vec<u8>> {
    let little = match bytes.get(0..2)? {
        b"II" => true,
        b"MM" => false,
        _ => return None,
    };
    let version = if little { u16::from_le_bytes([bytes[2], bytes[3]]) } else { u16::from_be_bytes([bytes[2], bytes[3]]) };
    let mut out = bytes.to_vec();
    match version {
        42 => {
            let o = u32::try_from(offset).ok()?;
            out.get_mut(4..8)?.copy_from_slice(&if little { o.to_le_bytes() } else { o.to_be_bytes() });
        }
        43 => out.get_mut(8..16)?.copy_from_slice(&if little { offset.to_le_bytes() } else { offset.to_be_bytes() }),
        _ => return None,
    }
    Some(out)
}
