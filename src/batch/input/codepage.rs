//! The older one-byte encodings a Danish spreadsheet export may be in, and how to tell them
//! apart. Windows-1252, Mac Roman and CP850 all decode any byte, so the bytes alone never say
//! which one wrote a file; the letters do. Read in the right one, Danish text has æ, ø and å
//! inside words; read in a wrong one, the same bytes become symbols (S¿ren, S›ren), stray
//! accents or capitals in the middle of a word (lÊnd). Each candidate is weighed by that, and
//! the best one is named. Windows-1252 and Mac Roman come from encoding_rs, CP850 from oem_cp.

use std::sync::OnceLock;

use super::Encoding;

/// The one-byte encodings, in the order a tie is settled: the most common first.
pub const CANDIDATES: [Encoding; 3] = [Encoding::Windows1252, Encoding::Macintosh, Encoding::Cp850];

/// What weighs against an encoding: a character that Danish text does not hold there.
const ODD: i64 = -4;

/// The characters of bytes 0x80-0xFF in a one-byte encoding (None for UTF-8).
fn table(encoding: Encoding) -> Option<&'static [char; 128]> {
    static WINDOWS_1252: OnceLock<[char; 128]> = OnceLock::new();
    static MACINTOSH: OnceLock<[char; 128]> = OnceLock::new();
    let from = |e: &'static encoding_rs::Encoding| {
        let high: Vec<u8> = (0x80..=0xFF).collect();
        let (text, _) = e.decode_without_bom_handling(&high);
        // Both map every byte to exactly one character.
        let chars: Vec<char> = text.chars().collect();
        <[char; 128]>::try_from(chars).expect("one character per byte")
    };
    match encoding {
        Encoding::Utf8 => None,
        Encoding::Windows1252 => Some(WINDOWS_1252.get_or_init(|| from(encoding_rs::WINDOWS_1252))),
        Encoding::Macintosh => Some(MACINTOSH.get_or_init(|| from(encoding_rs::MACINTOSH))),
        Encoding::Cp850 => Some(&oem_cp::code_table::DECODING_TABLE_CP850),
    }
}

/// The character of one byte.
pub fn char_of(encoding: Encoding, byte: u8) -> char {
    match table(encoding) {
        Some(t) if byte >= 0x80 => t[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

/// Decodes bytes in a one-byte encoding: one character per byte.
pub fn decode(raw: &[u8], encoding: Encoding) -> String {
    raw.iter().map(|&b| char_of(encoding, b)).collect()
}

/// A letter as names and words hold them: ASCII, or Latin with accents (À-ɏ).
fn is_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || (('\u{C0}'..='\u{24F}').contains(&c) && c.is_alphabetic() && c != 'ƒ')
}

/// Symbols that Danish text does not hold, but that the letters of another encoding become:
/// ¯ is Mac Roman's Ø read as Windows-1252, › † are CP850's ø å, box drawing is Windows-1252's
/// letters read as CP850.
fn is_odd_symbol(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '¯' | '¬' | '¤' | '¦' | '¸' | '‗' | '›' | '‹' | '†' | '‡' | '‚' | 'ƒ' | 'ˆ' | '˜' | '˘'
            | '˙' | '˚' | '˝' | '˛' | 'ˇ' | '◊' | '■' | '\u{2500}'..='\u{259F}'
            | '\u{E000}'..='\u{F8FF}')
}

/// Signs a note may hold (≈ 30 min), but never glued to a word: Windows-1252's Æ and Å read
/// as Mac Roman are ∆rø and ≈se.
fn is_math(c: char) -> bool {
    matches!(
        c,
        '∆' | '≈'
            | '√'
            | '∞'
            | '∑'
            | '∏'
            | 'π'
            | '∫'
            | 'Ω'
            | '≠'
            | '≤'
            | '≥'
            | '∂'
            | '⁄'
    )
}

/// Punctuation a word may hold inside it: an apostrophe, a dash, a no-break space, a soft
/// hyphen.
fn fits_in_a_word(c: char) -> bool {
    matches!(c, '’' | '–' | '—' | '\u{A0}' | '\u{AD}')
}

/// Whether `c`, read from a byte above 0x7F between `prev` and `next`, is one no Danish text
/// holds: an odd symbol, a sign glued to a word, ¿ after a letter (Bj¿rn; Spanish puts it
/// first), a symbol inside a word (l¾nd), a capital inside a word of small letters (lÊnd,
/// MÅller) or a small letter glued to a capital (ôHej).
fn is_odd(prev: Option<char>, c: char, next: Option<char>) -> bool {
    let letter = |c: Option<char>| c.is_some_and(is_letter);
    if is_letter(c) {
        let small = |c: Option<char>| c.is_some_and(|c| is_letter(c) && c.is_lowercase());
        let capital = |c: Option<char>| c.is_some_and(|c| is_letter(c) && c.is_uppercase());
        return if c.is_uppercase() {
            small(prev) || (letter(prev) && small(next))
        } else {
            capital(next)
        };
    }
    is_odd_symbol(c)
        || (is_math(c) && (letter(prev) || letter(next)))
        || (matches!(c, '¿' | '¡') && letter(prev))
        || (letter(prev) && letter(next) && !fits_in_a_word(c))
}

/// What Excel's autocorrect writes: quotes, dashes, an ellipsis, a bullet.
fn is_typographic(c: char) -> bool {
    matches!(
        c,
        '‘' | '’' | '“' | '”' | '„' | '–' | '—' | '…' | '•' | '«' | '»'
    )
}

/// How much `c` (from a byte above 0x7F) speaks for the encoding that made it.
fn weight(prev: Option<char>, c: char, next: Option<char>) -> i64 {
    let letter = |c: Option<char>| c.is_some_and(is_letter);
    if is_odd(prev, c, next) {
        return ODD;
    }
    if is_letter(c) {
        if !letter(prev) && !letter(next) {
            return 0; // a letter alone may as well be a dash or a quote elsewhere
        }
        return match c {
            'æ' | 'ø' | 'å' | 'Æ' | 'Ø' | 'Å' => 4,
            'é' | 'É' | 'ü' | 'Ü' | 'ö' | 'Ö' | 'ä' | 'Ä' => 2,
            _ => 1,
        };
    }
    if is_typographic(c) && !(letter(prev) && letter(next) && c != '’') {
        return 1;
    }
    0
}

/// Where a byte is in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spot {
    /// The byte.
    pub byte: u8,
    /// Its line, 1-based.
    pub line: u64,
    /// Its offset from the start of the file.
    pub offset: u64,
}

/// Weighs a file's bytes, fed in pieces, for each candidate encoding.
#[derive(Debug, Default)]
pub struct Weigher {
    scores: [i64; 3],
    /// For each pair of candidates, the first byte the first reads worse than the second.
    first_worse: [[Option<Spot>; 3]; 3],
    /// The byte before `current`, and `current` with its place, still waiting for its next.
    prev: Option<u8>,
    current: Option<Spot>,
    line: u64,
    offset: u64,
}

impl Weigher {
    /// A weigher at the start of a file.
    pub fn new() -> Weigher {
        Weigher {
            line: 1,
            ..Weigher::default()
        }
    }

    /// Takes the next bytes of the file.
    pub fn feed(&mut self, mut bytes: &[u8]) {
        while let Some(&b) = bytes.first() {
            let ascii = bytes.iter().position(|&b| b >= 0x80).unwrap_or(bytes.len());
            if ascii >= 2 && self.current.is_none_or(|c| c.byte < 0x80) {
                self.pass_ascii(&bytes[..ascii]);
                bytes = &bytes[ascii..];
            } else {
                self.take(b);
                bytes = &bytes[1..];
            }
        }
    }

    /// Takes one byte.
    fn take(&mut self, b: u8) {
        self.step(Some(b));
        self.current = Some(Spot {
            byte: b,
            line: self.line,
            offset: self.offset,
        });
        self.offset += 1;
        if b == b'\n' {
            self.line += 1;
        }
    }

    /// Takes a run of two or more ASCII bytes after one (or at the start): the same as taking
    /// them one by one, without the work, since only a byte above 0x7F is weighed. Most files
    /// are mostly ASCII, and every byte of the input passes here.
    fn pass_ascii(&mut self, run: &[u8]) {
        let [.., before_last, last] = *run else {
            return run.iter().for_each(|&b| self.take(b));
        };
        let breaks = |bytes: &[u8]| bytes.iter().filter(|&&b| b == b'\n').count() as u64;
        self.line += breaks(&run[..run.len() - 1]);
        self.prev = Some(before_last);
        self.current = Some(Spot {
            byte: last,
            line: self.line,
            offset: self.offset + run.len() as u64 - 1,
        });
        self.offset += run.len() as u64;
        self.line += breaks(&[last]);
    }

    /// Weighs the byte waiting for its next, now that `next` is known.
    fn step(&mut self, next: Option<u8>) {
        let Some(spot) = self.current.take() else {
            return;
        };
        if spot.byte >= 0x80 {
            let weights = CANDIDATES.map(|encoding| {
                let at = |b: Option<u8>| b.map(|b| char_of(encoding, b));
                weight(at(self.prev), char_of(encoding, spot.byte), at(next))
            });
            for (i, w) in weights.iter().enumerate() {
                self.scores[i] += w;
                for (j, other) in weights.iter().enumerate() {
                    if w < other {
                        self.first_worse[i][j].get_or_insert(spot);
                    }
                }
            }
        }
        self.prev = Some(spot.byte);
    }

    /// The verdict, once the whole file is fed.
    pub fn finish(mut self) -> Weights {
        self.step(None);
        Weights {
            scores: self.scores,
            first_worse: self.first_worse,
        }
    }
}

/// How well each candidate encoding reads a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Weights {
    scores: [i64; 3],
    first_worse: [[Option<Spot>; 3]; 3],
}

impl Weights {
    fn index(encoding: Encoding) -> Option<usize> {
        CANDIDATES.iter().position(|&e| e == encoding)
    }

    /// The encoding that reads the file best, if any reads its letters as Danish text does.
    pub fn best(&self) -> Option<Encoding> {
        let (i, &score) = self
            .scores
            .iter()
            .enumerate()
            .rev() // max_by_key keeps the last of equals: walk backwards so the first wins
            .max_by_key(|&(_, s)| *s)?;
        (score > 0).then_some(CANDIDATES[i])
    }

    /// The encoding that reads the file clearly better than `chosen`, if one does.
    pub fn better_than(&self, chosen: Encoding) -> Option<Encoding> {
        let mine = self.scores[Weights::index(chosen)?];
        let best = self.best()?;
        (self.scores[Weights::index(best)?] > mine).then_some(best)
    }

    /// The first byte that reads worse in `encoding` than in `other`.
    pub fn first_worse(&self, encoding: Encoding, other: Encoding) -> Option<Spot> {
        self.first_worse[Weights::index(encoding)?][Weights::index(other)?]
    }
}

/// The first character of `text` (decoded from `encoding`) that Danish text does not hold.
pub fn first_odd_char(text: &str) -> Option<char> {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len())
        .filter(|&i| !chars[i].is_ascii())
        .find(|&i| {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            is_odd(prev, chars[i], chars.get(i + 1).copied())
        })
        .map(|i| chars[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weigh(bytes: &[u8]) -> Weights {
        let mut w = Weigher::new();
        // In two pieces, split inside a word, as a file is read in chunks.
        let (a, b) = bytes.split_at(bytes.len() / 2);
        w.feed(a);
        w.feed(b);
        w.finish()
    }

    fn encode(text: &str, encoding: Encoding) -> Vec<u8> {
        text.chars()
            .map(|c| {
                (0..=255u8)
                    .find(|&b| char_of(encoding, b) == c)
                    .unwrap_or_else(|| panic!("{c} not in {encoding:?}"))
            })
            .collect()
    }

    /// Every byte from 0x80 up decodes as Python's codecs do (`python3 -c
    /// "print(bytes(range(128,256)).decode('cp850'))"`, and `'mac_roman'`); Apple replaced
    /// Mac Roman's currency sign at 0xDB with the euro in 1998, which encoding_rs follows.
    #[test]
    fn cp850_and_mac_roman_match_pythons_codecs() {
        let cp850 = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜø£Ø×ƒáíóúñÑªº¿®¬½¼¡«»░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐└┴┬├─┼ãÃ╚╔╩╦╠═╬¤ðÐÊËÈıÍÎÏ┘┌█▄¦Ì▀ÓßÔÒõÕµþÞÚÛÙýÝ¯´\u{ad}±‗¾¶§÷¸°¨·¹³²■\u{a0}";
        let mac_roman = "ÄÅÇÉÑÖÜáàâäãåçéèêëíìîïñóòôöõúùûü†°¢£§•¶ß®©™´¨≠ÆØ∞±≤≥¥µ∂∑∏π∫ªºΩæø¿¡¬√ƒ≈∆«»…\u{a0}ÀÃÕŒœ–—“”‘’÷◊ÿŸ⁄€‹›ﬁﬂ‡·‚„‰ÂÊÁËÈÍÎÏÌÓÔ\u{f8ff}ÒÚÛÙıˆ˜¯˘˙˚¸˝˛ˇ";
        for (encoding, python) in [(Encoding::Cp850, cp850), (Encoding::Macintosh, mac_roman)] {
            let ours: String = (0x80..=0xFFu8).map(|b| char_of(encoding, b)).collect();
            assert_eq!(ours, python, "{encoding:?}");
        }
    }

    #[test]
    fn danish_text_is_told_apart_in_each_encoding() {
        let texts = [
            "Søren Ærø;lænd;Gå en tur",
            "Åse Øberg;nakke",
            "René Bæk",
            "lænd",
            "Søren",
            "Ærø",
            "Bjørn",
            "gå",
            "Müller;lænd",
        ];
        for text in texts {
            for encoding in CANDIDATES {
                let w = weigh(&encode(text, encoding));
                assert_eq!(w.best(), Some(encoding), "{text} in {encoding:?}: {w:?}");
                assert_eq!(w.better_than(encoding), None);
                for other in CANDIDATES {
                    assert_eq!(
                        w.first_worse(encoding, other),
                        None,
                        "{text} in {encoding:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn typographic_punctuation_is_no_other_encodings_letter() {
        for text in [
            "Lars’ mål",
            "“Hej”",
            "don’t",
            "2–3 gange",
            "se – ok",
            "og så…",
            "‘citat’",
        ] {
            for encoding in [Encoding::Windows1252, Encoding::Macintosh] {
                let w = weigh(&encode(text, encoding));
                assert_eq!(
                    w.better_than(encoding),
                    None,
                    "{text} in {encoding:?}: {w:?}"
                );
            }
        }
        // Punctuation alone is enough to name the encoding.
        for encoding in [Encoding::Windows1252, Encoding::Macintosh] {
            assert_eq!(weigh(&encode("se – ok", encoding)).best(), Some(encoding));
        }
    }

    #[test]
    fn ascii_runs_weigh_as_byte_by_byte() {
        let text = "navn;note\nSøren Ærø;Gå 2 gange\n\nBjørn;lænd\nMüller;x é";
        for encoding in CANDIDATES {
            let bytes = encode(text, encoding);
            let mut one_by_one = Weigher::new();
            bytes.iter().for_each(|&b| one_by_one.take(b));
            let one_by_one = one_by_one.finish();
            for piece in 1..=bytes.len() {
                let mut w = Weigher::new();
                bytes.chunks(piece).for_each(|p| w.feed(p));
                assert_eq!(w.finish(), one_by_one, "{encoding:?} in pieces of {piece}");
            }
        }
    }

    #[test]
    fn the_wrong_reading_is_found_where_it_shows() {
        let mac = encode("navn\nSøren", Encoding::Macintosh);
        let w = weigh(&mac);
        assert_eq!(
            w.better_than(Encoding::Windows1252),
            Some(Encoding::Macintosh)
        );
        assert_eq!(
            w.first_worse(Encoding::Windows1252, Encoding::Macintosh),
            Some(Spot {
                byte: 0xBF,
                line: 2,
                offset: 6
            })
        );
        assert_eq!(decode(&mac, Encoding::Windows1252), "navn\nS¿ren");
        assert_eq!(first_odd_char("S¿ren"), Some('¿'));
        assert_eq!(first_odd_char("l¾nd"), Some('¾'));
        assert_eq!(first_odd_char("lÊnd"), Some('Ê'));
        assert_eq!(first_odd_char("S›ren"), Some('›'));
        assert_eq!(first_odd_char("≈se"), Some('≈'));
        assert_eq!(first_odd_char("Bj¿rn"), Some('¿'));
        assert_eq!(first_odd_char("l‘nd"), Some('‘'));
        for fine in [
            "Søren Ærø",
            "Lars’ mål – “gå”…",
            "5 µg, 38,5 °C, ½ time",
            "Voltaren®",
            "ØSTER",
            "≈ 30 min, π ≥ 3",
            "¿Qué tal?",
            "nord–syd",
        ] {
            assert_eq!(first_odd_char(fine), None, "{fine}");
        }
        // Plain ASCII says nothing.
        assert_eq!(weigh(b"navn;region\nBo;lumbar\n").best(), None);
    }
}
