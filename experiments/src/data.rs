//! The `--data NAME|FILE.csv` argument: one of the 16 Boolean functions of
//! `(x1, x2)` on the notebook's four rows, or a CSV file of up to 16 rows,
//! turned into a core [`Dataset`] (`X: [n, 3]`, `y: [n]`, `1 ≤ n ≤ 16`).
//!
//! Parsing the argument ([`parse_data`]) only decides which of the two it is;
//! [`DataSource::load`] reads the file. A CSV file has the header `x1,x2,x3,y`
//! (whitespace around names and values is ignored, blank and blank-looking lines
//! are skipped, any line ending is one) and then 1 to 16 rows of four finite
//! numbers, the target `y` in `[0, 1]`; a file over 1 MB is refused unread past
//! that. Every problem is one line naming the file, the line (as an editor
//! counts it) and the column:
//! `data.csv: line 3, column 2 (x2): expected a finite number, got 'abc'`,
//! with control characters escaped and long values cut.

use std::path::{Path, PathBuf};

use perceptron::{BooleanFunction, COLUMNS, DataError, Dataset, MAX_ROWS};

use crate::error::UsageError;

/// What `--data` names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DataSource {
    /// One of the 16 functions on the notebook's rows.
    Function(BooleanFunction),
    /// A CSV file with the header `x1,x2,x3,y`.
    File(PathBuf),
}

/// The accepted values, for error messages and `--help`.
pub fn accepted() -> String {
    let names: Vec<&str> = BooleanFunction::ALL.iter().map(|f| f.name()).collect();
    format!("expected one of {} or a file ending in .csv", names.join(", "))
}

/// `NAME` (exactly one of [`BooleanFunction::name`]) or a path ending in
/// `.csv` (any case). The file is not opened here.
///
/// # Errors
/// Anything else, with the accepted names.
pub fn parse_data(s: &str) -> Result<DataSource, String> {
    let trimmed = s.trim();
    if let Some(f) = BooleanFunction::from_name(trimmed) {
        return Ok(DataSource::Function(f));
    }
    // By its name's ending, not `Path::extension`, which has none for `.csv` itself.
    let is_csv = s.len() >= 4 && s.is_char_boundary(s.len() - 4) && s[s.len() - 4..].eq_ignore_ascii_case(".csv");
    // No echo of `s`: clap's message already names the value.
    if is_csv { Ok(DataSource::File(PathBuf::from(s))) } else { Err(accepted()) }
}

impl DataSource {
    /// The data set: the function's four rows, or the file's rows (named by the
    /// path as given).
    ///
    /// # Errors
    /// An unreadable or malformed file: one line naming the file, and the line
    /// and column where they apply.
    pub fn load(&self) -> Result<Dataset, UsageError> {
        match self {
            DataSource::Function(f) => Ok(f.dataset()),
            DataSource::File(path) => read_csv(path),
        }
    }
}

/// What a cell or a line of the file gets wrong, before the file name is added.
struct At {
    line: u64,
    column: Option<usize>,
    message: String,
}

fn at(line: u64, column: Option<usize>, message: impl Into<String>) -> At {
    At { line, column, message: message.into() }
}

fn read_csv(path: &Path) -> Result<Dataset, UsageError> {
    let name = path.display().to_string();
    let file = crate::error::cut_path(path);
    let bytes = read_limited(path).map_err(|e| match e {
        Unread::NotAFile(what) => UsageError::new(format!(
            "the --data file '{file}' is {what}, not a regular file; expected a CSV file of 1 to {MAX_ROWS} rows"
        )),
        Unread::Io(e) => UsageError::new(format!("cannot read the --data file '{file}': {e}")),
    })?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(UsageError::new(format!(
            "the --data file '{file}' is larger than 1 MB; expected a CSV file of 1 to {MAX_ROWS} rows (a few hundred bytes)"
        )));
    }
    let table = parse_table(&bytes).map_err(|a| {
        let column = a.column.map_or(String::new(), |c| format!(", column {} ({})", c + 1, COLUMNS[c]));
        UsageError::new(format!("{file}: line {}{column}: {}", a.line, a.message))
    })?;
    let (rows, lines): (Vec<_>, Vec<u64>) = table.into_iter().unzip();
    Dataset::new(name, rows).map_err(|e| {
        // `parse_table` already refused what the core refuses; name the line anyway.
        let line = |row: usize| lines.get(row).copied().unwrap_or(1);
        let where_ = match e {
            DataError::NotFinite { row, column, .. } => format!("line {}, column {}", line(row), column + 1),
            DataError::Target { row, .. } => format!("line {}, column 4", line(row)),
            DataError::Empty | DataError::TooManyRows { .. } => "line 1".to_owned(),
        };
        UsageError::new(format!("{file}: {where_}: {e}"))
    })
}

/// A data file larger than this is refused unread past it (16 rows of four
/// numbers take a few hundred bytes; a huge file must not fill memory).
const MAX_FILE_BYTES: usize = 1 << 20;

/// Why a `--data` file was not read.
enum Unread {
    /// It is not a regular file: what it is (`a folder`, `a FIFO (named pipe)`, …).
    NotAFile(&'static str),
    /// Opening or reading it failed.
    Io(std::io::Error),
}

/// The file's first [`MAX_FILE_BYTES`] + 1 bytes at most, if it is a regular
/// file (after symbolic links). Anything else is refused before it is opened:
/// opening a FIFO without a writer blocks for ever, and a device or a socket
/// is no table. The opened file is checked again, in case the name changed
/// hands in between.
fn read_limited(path: &Path) -> Result<Vec<u8>, Unread> {
    use std::io::Read;
    let regular = |metadata: std::fs::Metadata| {
        use std::os::unix::fs::FileTypeExt;
        let kind = metadata.file_type();
        let what = if kind.is_file() {
            return Ok(());
        } else if kind.is_dir() {
            "a folder"
        } else if kind.is_fifo() {
            "a FIFO (named pipe)"
        } else if kind.is_socket() {
            "a socket"
        } else if kind.is_char_device() || kind.is_block_device() {
            "a device"
        } else {
            "something else"
        };
        Err(Unread::NotAFile(what))
    };
    regular(std::fs::metadata(path).map_err(Unread::Io)?)?;
    let file = std::fs::File::open(path).map_err(Unread::Io)?;
    regular(file.metadata().map_err(Unread::Io)?)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES as u64 + 1).read_to_end(&mut bytes).map_err(Unread::Io)?;
    Ok(bytes)
}

/// `bytes` with every line ending (`\r\n`, `\r` or `\n`) made `\n` and every
/// line of only spaces and tabs made empty, so that the CSV reader skips it and
/// counts lines as a reader of the file does.
fn normalized_lines(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut line_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\r' || b == b'\n' {
            if out[line_start..].iter().all(|&c| c == b' ' || c == b'\t') {
                out.truncate(line_start);
            }
            out.push(b'\n');
            line_start = out.len();
            i += if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
        } else {
            out.push(b);
            i += 1;
        }
    }
    if out[line_start..].iter().all(|&c| c == b' ' || c == b'\t') {
        out.truncate(line_start);
    }
    out
}

/// One row `((x1, x2, x3), y)`, as [`Dataset::new`] takes it.
type Row = ([f64; 3], f64);

/// The rows of a CSV text and the line each came from. Lines are read as a
/// reader of the file counts them (see [`normalized_lines`]); blank lines are
/// skipped; each line is one CSV record (a quoted value cannot span lines).
fn parse_table(bytes: &[u8]) -> Result<Vec<(Row, u64)>, At> {
    let header = COLUMNS.join(",");
    let shape = format!("expected the header {header} and then 1 to {MAX_ROWS} rows of four numbers");
    let text = normalized_lines(bytes);
    let mut lines = (1u64..).zip(text.split(|&b| b == b'\n')).filter(|(_, l)| !l.is_empty());
    let Some((line, first)) = lines.next() else {
        return Err(at(1, None, format!("the file is empty; {shape}")));
    };
    let first = record(line, first).map_err(|a| At { message: format!("{}; {shape}", a.message), ..a })?;
    for (c, name) in COLUMNS.iter().enumerate() {
        match first.get(c) {
            Some(got) if got == *name => {}
            Some(got) => {
                return Err(at(
                    line,
                    Some(c),
                    format!("expected the header {header}, got '{}' for '{name}'", shown(got)),
                ));
            }
            None => {
                return Err(at(line, None, format!("expected the header {header}, the column '{name}' is missing")));
            }
        }
    }
    if first.len() > COLUMNS.len() {
        return Err(at(line, None, format!("expected the header {header}, got {} columns", first.len())));
    }
    let mut rows = Vec::new();
    let mut last = line;
    for (line, bytes) in lines {
        last = line;
        if rows.len() == MAX_ROWS {
            return Err(at(line, None, format!("more than {MAX_ROWS} rows; a data set has 1 to {MAX_ROWS}")));
        }
        let record = record(line, bytes)?;
        if record.len() != COLUMNS.len() {
            return Err(at(line, None, format!("expected 4 values ({header}), got {}", record.len())));
        }
        let mut values = [0.0; 4];
        for (c, cell) in record.iter().enumerate() {
            let value = cell.parse::<f64>().ok().filter(|v| v.is_finite());
            values[c] =
                value.ok_or_else(|| at(line, Some(c), format!("expected a finite number, got '{}'", shown(cell))))?;
        }
        if !(0.0..=1.0).contains(&values[3]) {
            return Err(at(line, Some(3), format!("expected a target in [0, 1], got {}", values[3])));
        }
        rows.push((([values[0], values[1], values[2]], values[3]), line));
    }
    if rows.is_empty() {
        return Err(at(last + 1, None, format!("no rows after the header; {shape}")));
    }
    Ok(rows)
}

/// The column of a line's byte `at`: the commas outside quotes before it
/// (`None` past the fourth column).
fn column_at(bytes: &[u8], at: usize) -> Option<usize> {
    let mut quoted = false;
    let mut column = 0;
    for &b in &bytes[..at] {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => column += 1,
            _ => {}
        }
    }
    (column < COLUMNS.len()).then_some(column)
}

/// One line of the file as a CSV record (trimmed values).
fn record(line: u64, bytes: &[u8]) -> Result<csv::StringRecord, At> {
    if bytes.iter().filter(|&&b| b == b'"').count() % 2 == 1 {
        return Err(at(line, None, "a quoted value is not closed on its line (an odd number of '\"')"));
    }
    if let Err(e) = std::str::from_utf8(bytes) {
        let bad = bytes[e.valid_up_to()];
        return Err(at(
            line,
            column_at(bytes, e.valid_up_to()),
            format!("expected UTF-8 text, got the byte 0x{bad:02X}"),
        ));
    }
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).trim(csv::Trim::All).from_reader(bytes);
    match reader.records().next() {
        Some(Ok(record)) => Ok(record),
        // Not reached (the line is UTF-8 and one record); the csv crate's own
        // message would count lines from this one, so it is not shown.
        Some(Err(_)) => Err(at(line, None, "not a readable CSV line")),
        None => Ok(csv::StringRecord::new()),
    }
}

/// A cell as an error message shows it ([`crate::error::cut`]).
fn shown(cell: &str) -> String {
    crate::error::cut(cell)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(csv: &str, expected: Result<&[[f64; 4]], &str>) {
        let got = parse_table(csv.as_bytes())
            .map(|rows| rows.iter().map(|((x, y), _)| [x[0], x[1], x[2], *y]).collect::<Vec<_>>())
            .map_err(|a| format!("line {} column {:?}: {}", a.line, a.column.map(|c| c + 1), a.message));
        match expected {
            Ok(rows) => assert_eq!(got, Ok(rows.to_vec()), "{csv:?}"),
            Err(part) => {
                let err = got.expect_err(csv);
                assert!(err.contains(part), "{csv:?}: {err:?} does not contain {part:?}");
            }
        }
    }

    #[test]
    fn csv_tables() {
        check("x1,x2,x3,y\n0,0,1,0\n1,1,1,1\n", Ok(&[[0.0, 0.0, 1.0, 0.0], [1.0, 1.0, 1.0, 1.0]]));
        check(" x1 , x2,x3 ,y\r\n\n0.5, -2, 1e3, 0.25\n", Ok(&[[0.5, -2.0, 1000.0, 0.25]]));
        check("", Err("line 1 column None: the file is empty"));
        check("x1,x2,x3,y\n", Err("line 2 column None: no rows after the header"));
        check("x1,x2,y\n0,0,1\n", Err("line 1 column Some(3): expected the header x1,x2,x3,y, got 'y' for 'x3'"));
        check(
            "x1,x2,x3\n0,0,1\n",
            Err("line 1 column None: expected the header x1,x2,x3,y, the column 'y' is missing"),
        );
        check("x1,x2,x3,y,z\n", Err("got 5 columns"));
        check("x1,x2,x3,y\n0,0,1,0\n0,0,1\n", Err("line 3 column None: expected 4 values (x1,x2,x3,y), got 3"));
        check("x1,x2,x3,y\n0,abc,1,0\n", Err("line 2 column Some(2): expected a finite number, got 'abc'"));
        check("x1,x2,x3,y\n0,0,NaN,0\n", Err("line 2 column Some(3): expected a finite number, got 'NaN'"));
        check("x1,x2,x3,y\n0,0,1,inf\n", Err("line 2 column Some(4): expected a finite number, got 'inf'"));
        check("x1,x2,x3,y\n0,0,1,\n", Err("line 2 column Some(4): expected a finite number, got ''"));
        check("x1,x2,x3,y\n0,0,1,1.5\n", Err("line 2 column Some(4): expected a target in [0, 1], got 1.5"));
        check("x1,x2,x3,y\n0,0,1,-0.1\n", Err("column Some(4): expected a target in [0, 1], got -0.1"));
        // Lines as a reader counts them: CRLF, CR alone, blank and blank-looking lines.
        check("x1,x2,x3,y\r\n0,0,1,0\r\n0,abc,1,0\r\n", Err("line 3 column Some(2): expected a finite number"));
        check("x1,x2,x3,y\r0,0,1,0\r0,abc,1,0\r", Err("line 3 column Some(2): expected a finite number"));
        check("x1,x2,x3,y\n\n  \n\t\n0,abc,1,0\n", Err("line 5 column Some(2): expected a finite number"));
        check("x1,x2,x3,y\n0,0,1,0\n   \n", Ok(&[[0.0, 0.0, 1.0, 0.0]]));
        check("\u{feff}x1,x2,x3,y\n0,0,1,0\n", Ok(&[[0.0, 0.0, 1.0, 0.0]]));
        check("x1,x2,x3,y\n0,\"1,1,0\n", Err("line 2 column None: a quoted value is not closed"));
        check("x1,x2,x3,y\n0,\"a\tb\u{1b}[31m\",1,0\n", Err("got 'a\\tb\\u{1b}[31m'"));
        // Not UTF-8: the line and the column of the first invalid byte, once
        // (the csv crate's message counted lines from the line it was given).
        let latin1 = parse_table(b"x1,x2,x3,y\n0,0,1,0\n\n1,\"a,b\",caf\xe9,1\n").err().unwrap();
        assert_eq!((latin1.line, latin1.column), (4, Some(2)));
        assert_eq!(latin1.message, "expected UTF-8 text, got the byte 0xE9");
        let past = parse_table(b"x1,x2,x3,y\n0,0,1,0,\xff\n").err().unwrap();
        assert_eq!((past.line, past.column), (2, None));
        let long = format!("x1,x2,x3,y\n0,{},1,0\n", "9".repeat(5000) + "x");
        check(&long, Err(&format!("got '{}…'", "9".repeat(40))));
        let sixteen = format!("x1,x2,x3,y\n{}", "1,0,1,1\n".repeat(16));
        assert_eq!(parse_table(sixteen.as_bytes()).map(|r| r.len()).ok(), Some(16));
        check(&format!("{sixteen}0,0,1,0\n"), Err("line 18 column None: more than 16 rows"));
    }

    #[test]
    fn names_and_files() {
        assert_eq!(parse_data("x1"), Ok(DataSource::Function(BooleanFunction::X1)));
        assert_eq!(parse_data("not-x1-or-x2"), Ok(DataSource::Function(BooleanFunction::NotX1OrX2)));
        assert_eq!(parse_data("my data.CSV"), Ok(DataSource::File(PathBuf::from("my data.CSV"))));
        let err = parse_data("XOR").unwrap_err();
        assert!(err.starts_with("expected one of false, and, x1-and-not-x2, x1,") && !err.contains("XOR"), "{err}");
        assert!(parse_data("table.txt").is_err());
        assert_eq!(parse_data(".csv"), Ok(DataSource::File(PathBuf::from(".csv"))));
        assert_eq!(parse_data("dir/.CSV"), Ok(DataSource::File(PathBuf::from("dir/.CSV"))));
        assert!(parse_data("csv").is_err() && parse_data("é.cs").is_err());
        assert!(parse_data("").is_err());
    }
}
