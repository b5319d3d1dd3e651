//! The clinic's contact as a block of the handout's body, "Din fysioterapeut": at body size
//! and read by a screen reader, where the footer is small print and an artifact (issue 11,
//! point 6).

use crate::clinic::Clinic;
use crate::content::Labels;
use crate::handout::{Block, BlockStyle, Piece, Span};

/// The block's id.
pub const CONTACT_BLOCK: &str = "kontakt";

/// The clinic's name, the therapist when given, the address and the ways to reach the clinic,
/// a line each, the e-mail address and website as links; `None` for a profile with none of
/// them.
pub fn block(clinic: &Clinic, therapist: Option<&str>, labels: &Labels) -> Option<Block> {
    let line = |text: &str| Piece::Paragraph(vec![Span::text(text, false)]);
    let mut pieces: Vec<Piece> = clinic.name.iter().map(|n| line(n)).collect();
    pieces.extend(therapist.map(|t| line(&format!("{}: {t}", labels.therapist))));
    pieces.extend(clinic.address.iter().map(|a| line(a)));
    for way in &clinic.contact {
        let url = if clinic.email.as_ref() == Some(way) {
            format!("mailto:{way}")
        } else if clinic.website.as_ref() == Some(way) {
            way.clone()
        } else {
            pieces.push(line(way));
            continue;
        };
        pieces.push(Piece::Link {
            text: vec![Span::text(way, false)],
            url,
        });
    }
    if pieces.is_empty() {
        return None;
    }
    Some(Block {
        id: CONTACT_BLOCK.into(),
        field: None,
        style: BlockStyle::Plain,
        heading: labels.contact_heading.clone(),
        pieces,
    })
}
