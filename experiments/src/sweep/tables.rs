//! The sweep's CSV helpers: rows of any `#[derive(Serialize)]` type (each study
//! owns its row types; headers come from their field names) to CSV bytes, and
//! the label of a set of removed rows.

use serde::Serialize;

/// `removed` rows joined by `+`, e.g. `1+2`; `none` for the empty set.
pub fn rows_label(rows: &[usize]) -> String {
    if rows.is_empty() { "none".to_owned() } else { rows.iter().map(ToString::to_string).collect::<Vec<_>>().join("+") }
}

/// Serialises rows to CSV bytes with a header row.
pub fn to_csv<T: Serialize>(rows: &[T]) -> anyhow::Result<Vec<u8>> {
    to_csv_iter(rows)
}

/// Serialises rows produced one at a time (never all held at once) to CSV bytes.
pub fn to_csv_iter<T: Serialize>(rows: impl IntoIterator<Item = T>) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        w.serialize(row)?;
    }
    Ok(w.into_inner()?)
}

/// Like [`to_csv_iter`], but an empty table still gets its header row (taken
/// from `T::default()`), so a reader always finds the columns.
pub fn to_csv_with_header<'a, T: Serialize + Default + 'a>(
    rows: impl IntoIterator<Item = &'a T>,
) -> anyhow::Result<Vec<u8>> {
    let mut rows = rows.into_iter().peekable();
    if rows.peek().is_some() {
        return to_csv_iter(rows);
    }
    let example = to_csv(&[T::default()])?;
    let header_end = example.iter().position(|&b| b == b'\n').map_or(example.len(), |i| i + 1);
    Ok(example[..header_end].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(rows_label(&[1, 2]), "1+2");
        assert_eq!(rows_label(&[]), "none");
    }

    #[derive(Serialize, Default)]
    struct Pair {
        a: u32,
        b_c: f64,
    }

    #[test]
    fn an_empty_table_keeps_its_header() {
        assert_eq!(to_csv_with_header::<Pair>([]).unwrap(), b"a,b_c\n");
        assert_eq!(to_csv_with_header(&[Pair { a: 1, b_c: 0.5 }]).unwrap(), b"a,b_c\n1,0.5\n");
    }
}
