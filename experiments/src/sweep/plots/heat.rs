//! Heat maps that look smooth and stay small, for `surfaces.svg` and
//! `landscape.svg`: a fine grid of values, each cell coloured by one of a few
//! dozen [`Levels`]; the cells of one row and level that touch are merged into
//! one rectangle, and all rectangles of a level go into one SVG `<path>` (about
//! 25 bytes a rectangle, instead of about 100 for plotters' `<rect>`; abutting
//! pieces of one path show no seams, and each piece reaches one pixel into its
//! right and lower neighbours, so no seam shows between paths either).
//! Plotters cannot write raw SVG, so the paths travel as the text of a
//! placeholder [`Text`] element that [`for_each_piece`] (called by `svg`) swaps
//! for them, in their place in the drawing order.
//!
//! Also iso-lines ([`contour`], marching squares on the same grid).

use std::collections::BTreeMap;
use std::fmt::Write;

use plotters::prelude::*;

use super::{Chart, PlotResult, Px};

/// The first character of a placeholder's text: a private-use code point.
const INSET: char = '\u{E000}';

/// Values quantised into `count` equal levels of `t ∈ [0, 1]` (NaN: level 0).
#[derive(Clone, Copy, Debug)]
pub struct Levels {
    pub count: usize,
}

impl Levels {
    /// The level of `t` (clamped to [0, 1]).
    pub fn of(self, t: f64) -> usize {
        if t.is_nan() { 0 } else { ((t.clamp(0.0, 1.0) * self.count as f64) as usize).min(self.count - 1) }
    }

    /// The middle of level `k`, in [0, 1].
    pub fn middle(self, k: usize) -> f64 {
        (k as f64 + 0.5) / self.count as f64
    }
}

/// A grid of `cols × rows` cells filling `x × y` (`x.0 < x.1`, `y.0 < y.1`);
/// `t(c, r)` is cell `(c, r)`'s value in [0, 1] (row 0 at the bottom),
/// coloured `colour(t)` at the middle of its level.
pub struct HeatMap<'a> {
    pub cols: usize,
    pub rows: usize,
    pub x: (f64, f64),
    pub y: (f64, f64),
    pub t: &'a dyn Fn(usize, usize) -> f64,
    pub levels: Levels,
    pub colour: &'a dyn Fn(f64) -> RGBColor,
}

/// Draws `map` on `chart` as one `<path>` per level (see the module doc).
///
/// # Errors
/// A drawing error of plotters.
pub fn heat_map<X, Y>(chart: &mut Chart<'_, '_, X, Y>, px: Px, map: &HeatMap<'_>) -> PlotResult
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    // Cell edges in canvas pixels, shared by neighbours, so rows and columns abut exactly.
    let edge_x: Vec<i32> = (0..=map.cols)
        .map(|c| chart.backend_coord(&(map.x.0 + (map.x.1 - map.x.0) * c as f64 / map.cols as f64, map.y.0)).0)
        .collect();
    let edge_y: Vec<i32> = (0..=map.rows)
        .map(|r| chart.backend_coord(&(map.x.0, map.y.0 + (map.y.1 - map.y.0) * r as f64 / map.rows as f64)).1)
        .collect();
    let (right_end, bottom_end, reach) = (edge_x[map.cols], edge_y[0], px.of(1));
    let mut paths: BTreeMap<usize, String> = BTreeMap::new();
    for r in 0..map.rows {
        let (top, bottom) = (edge_y[r + 1], edge_y[r]);
        let height = bottom - top + reach.min(bottom_end - bottom);
        let mut c = 0;
        while c < map.cols {
            let level = map.levels.of((map.t)(c, r));
            let start = c;
            while c < map.cols && map.levels.of((map.t)(c, r)) == level {
                c += 1;
            }
            let (left, right) = (edge_x[start], edge_x[c]);
            let width = right - left + reach.min(right_end - right);
            let d = paths.entry(level).or_default();
            let _ = write!(d, "M{left} {top}h{width}v{height}h{}z", -width);
        }
    }
    let mut fragment = String::from(INSET);
    for (level, d) in paths {
        let RGBColor(r, g, b) = (map.colour)(map.levels.middle(level));
        let _ = write!(fragment, "<path fill=\"#{r:02X}{g:02X}{b:02X}\" d=\"{d}\"/>");
    }
    chart.plotting_area().draw(&Text::new(fragment, (map.x.0, map.y.1), ("sans-serif", 1).into_font()))?;
    Ok(())
}

/// A line of a rendered SVG as [`for_each_piece`] hands it on: as written,
/// or a placeholder's three lines replaced by the SVG it carries.
pub enum Piece<'a> {
    Line(&'a str),
    Inset(String),
}

/// Hands each line of `svg` to `emit` in order, a placeholder's three lines
/// as one [`Piece::Inset`] (its SVG, unescaped, with a newline): one pass,
/// three lines of look-ahead, no copy of the whole.
pub fn for_each_piece<'a>(svg: &'a str, mut emit: impl FnMut(Piece<'a>)) {
    let mut lines = svg.split_inclusive('\n');
    let mut window: std::collections::VecDeque<&str> = lines.by_ref().take(3).collect();
    while let Some(&first) = window.front() {
        let carried = window.get(1).and_then(|l| l.strip_prefix(INSET));
        match carried {
            Some(inner) if first.starts_with("<text ") && window.get(2) == Some(&"</text>\n") => {
                let inner = inner.trim_end_matches('\n');
                let mut inset = inner
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&apos;", "'")
                    .replace("&amp;", "&");
                inset.push('\n');
                emit(Piece::Inset(inset));
                window.clear();
            }
            _ => {
                emit(Piece::Line(first));
                window.pop_front();
            }
        }
        window.extend(lines.by_ref().take(3 - window.len()));
    }
}

/// Segments of the iso-line `value = level` through a grid of values at points
/// `(xs[i], ys[j])`, `value(i, j)`, by marching squares (a saddle cell pairs its
/// crossings in edge order). A cell touching a NaN has no crossing.
pub fn contour(xs: &[f64], ys: &[f64], value: &dyn Fn(usize, usize) -> f64, level: f64) -> Vec<[(f64, f64); 2]> {
    let mut segments = Vec::new();
    for i in 0..xs.len().saturating_sub(1) {
        for j in 0..ys.len().saturating_sub(1) {
            // Corners counter-clockwise: (i, j), (i+1, j), (i+1, j+1), (i, j+1).
            let corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)];
            let mut crossings = Vec::new();
            for k in 0..4 {
                let (a, b) = (corners[k], corners[(k + 1) % 4]);
                let (va, vb) = (value(a.0, a.1), value(b.0, b.1));
                if (va < level) != (vb < level) && !va.is_nan() && !vb.is_nan() {
                    let t = (level - va) / (vb - va);
                    crossings.push((xs[a.0] + t * (xs[b.0] - xs[a.0]), ys[a.1] + t * (ys[b.1] - ys[a.1])));
                }
            }
            for pair in crossings.chunks_exact(2) {
                segments.push([pair[0], pair[1]]);
            }
        }
    }
    segments
}

/// Draws `segments` as lines of `style`.
///
/// # Errors
/// A drawing error of plotters.
pub fn draw_segments<X, Y>(
    chart: &mut Chart<'_, '_, X, Y>,
    segments: &[[(f64, f64); 2]],
    style: ShapeStyle,
) -> PlotResult
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    chart.draw_series(segments.iter().map(|s| PathElement::new(s.to_vec(), style)))?;
    Ok(())
}

/// A colour bar of `levels` bands from `lo` (bottom) to `hi` on `chart`
/// (x from 0 to 1), each band coloured like the heat map's cells.
///
/// # Errors
/// A drawing error of plotters.
pub fn colour_bar<X, Y>(
    chart: &mut Chart<'_, '_, X, Y>,
    px: Px,
    (lo, hi): (f64, f64),
    levels: Levels,
    colour: &dyn Fn(f64) -> RGBColor,
) -> PlotResult
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    let t = &|_: usize, r: usize| levels.middle(r);
    let map = HeatMap { cols: 1, rows: levels.count, x: (0.0, 1.0), y: (lo, hi), t, levels, colour };
    heat_map(chart, px, &map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::plots::{Frame, framed, svg};

    #[test]
    fn levels_split_the_unit_interval_evenly() {
        let l = Levels { count: 4 };
        assert_eq!([0.0, 0.24, 0.25, 0.99, 1.0, 2.0, -1.0, f64::NAN].map(|t| l.of(t)), [0, 0, 1, 3, 3, 3, 0, 0]);
        assert_eq!(l.middle(0), 0.125);
        assert_eq!(l.middle(3), 0.875);
    }

    #[test]
    fn cells_of_a_level_become_one_path_with_runs_merged() {
        // 4 × 2 cells: the bottom row 0, 0, 1, 1; the top row 1, 1, 1, 1 (t = 0 or 1, two levels).
        let t = |c: usize, r: usize| if r == 1 || c >= 2 { 1.0 } else { 0.0 };
        let colour = |t: f64| if t < 0.5 { RGBColor(0, 0, 0) } else { RGBColor(255, 0, 0) };
        let s = svg((200, 200), |root, px| {
            let frame =
                Frame { margin: [0; 4], x_area: 0, y_area: 0, grid: super::super::Grid::None, ..Frame::default() };
            let mut chart = framed(root, px, &frame, 0.0..4.0, 0.0..2.0)?;
            let map = HeatMap {
                cols: 4,
                rows: 2,
                x: (0.0, 4.0),
                y: (0.0, 2.0),
                t: &t,
                levels: Levels { count: 2 },
                colour: &colour,
            };
            heat_map(&mut chart, px, &map)
        })
        .expect("a heat map");
        let paths: Vec<&str> = s.lines().filter(|l| l.starts_with("<path")).collect();
        assert_eq!(paths.len(), 1, "one line of paths: {s}");
        assert!(!s.contains(INSET) && !s.contains("&lt;path"), "the placeholder is replaced: {s}");
        let black = paths[0].split("<path").find(|p| p.contains("#000000")).expect("a black path");
        let red = paths[0].split("<path").find(|p| p.contains("#FF0000")).expect("a red path");
        // Black: one run of two cells; red: one run of two (bottom row) and one of four (top row).
        assert_eq!(black.matches('M').count(), 1, "{black}");
        assert_eq!(red.matches('M').count(), 2, "{red}");
    }

    #[test]
    fn the_contour_of_a_plane_is_the_line() {
        // value = x on a 5 × 3 grid: the 0.5 contour is the vertical line x = 0.5.
        let xs = [0.0, 0.25, 0.5, 0.75, 1.0];
        let ys = [0.0, 0.5, 1.0];
        let segments = contour(&xs, &ys, &|i, _| xs[i], 0.6);
        assert_eq!(segments.len(), 2);
        for s in segments {
            for (x, _) in s {
                assert!((x - 0.6).abs() < 1e-12, "{x}");
            }
        }
        assert!(contour(&xs, &ys, &|_, _| f64::NAN, 0.5).is_empty());
    }
}
