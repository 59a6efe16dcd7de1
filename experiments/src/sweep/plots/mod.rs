//! The chart set-up every SVG figure of the sweep shares, so each study's plot
//! states only what is particular to it: the picture ([`svg`]: size, white
//! background, resolution), the frame of a chart ([`Frame`] → [`framed`]: title,
//! margins, label areas, axis descriptions, tick formatters, grid, fonts), a
//! linear/log pair of panels ([`pair`]), the legend ([`legend`]), labels moved
//! apart ([`apart`]), smooth heat maps and iso-lines (`heat.rs`), the palette
//! ([`color`]) and each model's one colour ([`model_color`]). Plotters' SVG
//! backend draws into a string (no system fonts needed).
//!
//! Resolution: plotters rounds every coordinate to a whole pixel of its canvas.
//! Each picture is drawn on a canvas [`Px`] times larger than its size in every
//! direction — every length the plots state (fonts, strokes, radii, margins,
//! offsets) goes through [`Px`] — and the SVG's `width`/`height` are then set
//! back to the picture's size, with `viewBox` the canvas: coordinates are
//! whole canvas pixels, `1 / Px` of a picture pixel.

mod frame;
mod heat;

use std::error::Error;

use perceptron::Architecture;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub use frame::{Frame, Grid, framed, log_range, pair};
pub use heat::{HeatMap, Levels, colour_bar, contour, draw_segments, heat_map};

/// The drawing area of a picture (or a part of it).
pub type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
/// What drawing returns: plotters' errors, boxed.
pub type PlotResult = Result<(), Box<dyn Error>>;
/// A chart with axes of `f64` values (linear or log) on an SVG area.
pub type Chart<'a, 'b, X, Y> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<X, Y>>;

/// The font family of every text.
pub const FONT: &str = "sans-serif";
/// Colour-blind-safe palette (Okabe–Ito).
const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(240, 228, 66),
    RGBColor(0, 0, 0),
];
/// The palette's blue and orange, for signs (weights) and classes (0/1).
pub const POSITIVE: RGBColor = PALETTE[0];
pub const NEGATIVE: RGBColor = PALETTE[1];
/// Canvas pixels per picture pixel (see the module doc).
const RESOLUTION: u32 = 4;

/// The `i`-th colour of the palette (cycling).
pub fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// The one colour of a model in every plot, whatever else the plot shows: one
/// layer blue; two layers H = 1 vermillion, 2 bluish green, 3 orange, 4 reddish
/// purple, 8 black; any other H sky blue. (Yellow, hard to see on white, is left out.)
pub fn model_color(model: Architecture) -> RGBColor {
    match model.hidden() {
        None => PALETTE[0],
        Some(1) => PALETTE[1],
        Some(2) => PALETTE[2],
        Some(3) => PALETTE[4],
        Some(4) => PALETTE[3],
        Some(8) => PALETTE[7],
        Some(_) => PALETTE[5],
    }
}

/// `10^e` as a learner reads it: `10⁻³`, `10⁰`, `10¹²`.
pub fn power_of_ten(e: i32) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let sign = if e < 0 { "⁻" } else { "" };
    let digits: String = e.unsigned_abs().to_string().chars().map(|d| DIGITS[d as usize - '0' as usize]).collect();
    format!("10{sign}{digits}")
}

/// Label heights `ys` (any order) moved apart to at least `gap`, keeping their
/// order and as close to their places as that allows (each pushed up from the
/// one below it, then the group shifted back down by half the push).
pub fn apart(ys: &[f64], gap: f64) -> Vec<f64> {
    let mut order: Vec<usize> = (0..ys.len()).collect();
    order.sort_by(|&a, &b| ys[a].total_cmp(&ys[b]));
    let mut placed = ys.to_vec();
    for w in 1..order.len() {
        let (below, here) = (order[w - 1], order[w]);
        placed[here] = placed[here].max(placed[below] + gap);
    }
    let pushed = order.iter().map(|&i| placed[i] - ys[i]).fold(0.0f64, f64::max);
    placed.iter().map(|y| y - pushed / 2.0).collect()
}

/// Ticks as whole numbers (`5000`, not `5000.0`).
pub fn whole(x: &f64) -> String {
    format!("{x:.0}")
}

/// Lengths in picture pixels, turned into canvas pixels (see the module doc).
#[derive(Clone, Copy, Debug)]
pub struct Px(u32);

impl Px {
    /// A coordinate or length.
    pub fn of(self, v: i32) -> i32 {
        v * self.0 as i32
    }

    /// A size (a label area, a margin, a radius).
    pub fn size(self, v: u32) -> u32 {
        v * self.0
    }

    /// A point.
    pub fn at(self, (x, y): (i32, i32)) -> (i32, i32) {
        (self.of(x), self.of(y))
    }

    /// The font of `size` picture pixels.
    pub fn font(self, size: u32) -> FontDesc<'static> {
        (FONT, self.size(size)).into_font()
    }

    /// The font of `size` pixels, centred on its position.
    pub fn centred(self, size: u32) -> TextStyle<'static> {
        TextStyle::from(self.font(size)).pos(Pos::new(HPos::Center, VPos::Center))
    }

    /// A line of `width` picture pixels.
    pub fn line<C: Color>(self, c: C, width: u32) -> ShapeStyle {
        c.stroke_width(self.size(width))
    }
}

/// Renders `draw` into an SVG string of `size` picture pixels on white.
///
/// # Errors
/// A drawing error of plotters (as text).
pub fn svg(size: (u32, u32), draw: impl FnOnce(&Area<'_>, Px) -> PlotResult) -> anyhow::Result<String> {
    let px = Px(RESOLUTION);
    let canvas = (px.size(size.0), px.size(size.1));
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, canvas).into_drawing_area();
        root.fill(&WHITE).map_err(|e| anyhow::anyhow!("drawing: {e}"))?;
        draw(&root, px).map_err(|e| anyhow::anyhow!("drawing: {e}"))?;
        root.present().map_err(|e| anyhow::anyhow!("drawing: {e}"))?;
    }
    let canvas_header = format!("<svg width=\"{}\" height=\"{}\" ", canvas.0, canvas.1);
    let header = format!("<svg width=\"{}\" height=\"{}\" ", size.0, size.1);
    Ok(finish(&out, &canvas_header, &header, px))
}

/// plotters' SVG made final in one pass over its lines (so that a large plot
/// is held twice at most, not once per fix): the picture's size in the
/// header (the first `canvas_header` becomes `header`), every rectangle
/// outline one picture pixel wide (plotters' SVG backend writes no
/// `stroke-width` for a rectangle, so it would be one canvas pixel, `1 / Px` of
/// a picture pixel; every outlined rectangle of the sweep, legends' frames
/// included, asks for one pixel; each element is one line), and the heat
/// maps' placeholders expanded ([`heat::for_each_piece`]).
fn finish(svg: &str, canvas_header: &str, header: &str, px: Px) -> String {
    let width = format!(" stroke-width=\"{}\"/>", px.size(1));
    let mut out = String::with_capacity(svg.len());
    let mut headed = false;
    heat::for_each_piece(svg, |piece| match piece {
        heat::Piece::Inset(inset) => out.push_str(&inset),
        heat::Piece::Line(line) if !headed && line.contains(canvas_header) => {
            headed = true;
            out.push_str(&line.replacen(canvas_header, header, 1));
        }
        heat::Piece::Line(line) => {
            if line.starts_with("<rect ") && line.contains("fill=\"none\"") && !line.contains("stroke-width") {
                out.push_str(&line.replacen("/>", &width, 1));
            } else {
                out.push_str(line);
            }
        }
    });
    out
}

/// The legend key of a line series: a short line of width 2.
pub fn line_key(px: Px, c: RGBColor) -> impl Fn((i32, i32)) -> PathElement<(i32, i32)> {
    move |(x, y)| PathElement::new(vec![(x, y), (x + px.of(18), y)], px.line(c, 2))
}

/// Draws the legend of `chart`'s labelled series at `position`, on white at
/// `opacity`, framed.
///
/// # Errors
/// A drawing error of plotters.
pub fn legend_on<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    px: Px,
    position: SeriesLabelPosition,
    opacity: f64,
) -> PlotResult
where
    DB::ErrorType: 'static,
{
    chart
        .configure_series_labels()
        .position(position)
        .margin(px.size(10))
        .legend_area_size(px.size(30))
        .background_style(WHITE.mix(opacity))
        .border_style(px.line(BLACK.mix(0.4), 1))
        .label_font(px.font(14))
        .draw()?;
    Ok(())
}

/// [`legend_on`] at the usual opacity 0.85.
///
/// # Errors
/// A drawing error of plotters.
pub fn legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    px: Px,
    position: SeriesLabelPosition,
) -> PlotResult
where
    DB::ErrorType: 'static,
{
    legend_on(chart, px, position, 0.85)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_model_has_one_colour_and_the_usual_ones_differ() {
        let two = Architecture::two_layer;
        let usual = [Architecture::OneLayer, two(1), two(2), two(3), two(4), two(8)];
        for (i, a) in usual.iter().enumerate() {
            for b in &usual[i + 1..] {
                assert_ne!(model_color(*a), model_color(*b), "{} and {}", a.label(), b.label());
            }
            assert_ne!(model_color(*a), PALETTE[6], "no yellow on white");
        }
        // Keyed on the model alone: H = 2 is bluish green whichever models share the plot.
        assert_eq!(model_color(two(2)), RGBColor(0, 158, 115));
        assert_eq!(model_color(Architecture::OneLayer), RGBColor(0, 114, 178));
    }

    #[test]
    fn labels_are_moved_apart_in_order() {
        // Far apart already: unchanged.
        assert_eq!(apart(&[10.0, 0.0, -5.0], 1.0), vec![10.0, 0.0, -5.0]);
        // Three labels at 0: spaced by the gap, centred on their place, order kept.
        let placed = apart(&[0.0, 0.0, 0.0], 1.0);
        assert_eq!(placed, vec![-1.0, 0.0, 1.0]);
        let placed = apart(&[0.5, 0.0], 1.0);
        assert!((placed[0] - placed[1] - 1.0).abs() < 1e-12 && placed[0] > placed[1], "{placed:?}");
    }

    #[test]
    fn powers_of_ten_have_superscript_exponents() {
        assert_eq!(power_of_ten(-3), "10⁻³");
        assert_eq!(power_of_ten(0), "10⁰");
        assert_eq!(power_of_ten(12), "10¹²");
        assert_eq!(power_of_ten(-307), "10⁻³⁰⁷");
    }

    #[test]
    fn rectangle_outlines_are_one_picture_pixel_wide() {
        let s = svg((50, 50), |root, px| {
            root.draw(&Rectangle::new([(0, 0), (px.of(10), px.of(10))], px.line(BLACK, 1)))?;
            Ok(root.draw(&Rectangle::new([(0, 0), (px.of(5), px.of(5))], BLACK.filled()))?)
        })
        .expect("two rectangles");
        let outlined: Vec<&str> = s.lines().filter(|l| l.starts_with("<rect") && l.contains("fill=\"none\"")).collect();
        assert_eq!(outlined.len(), 1, "{s}");
        assert!(outlined[0].ends_with(&format!(" stroke-width=\"{}\"/>", Px(RESOLUTION).size(1))), "{s}");
    }

    #[test]
    fn the_picture_keeps_its_size_whatever_the_resolution() {
        let s = svg((123, 45), |_, _| Ok(())).expect("an empty picture");
        let canvas = Px(RESOLUTION).size(123);
        assert!(s.starts_with(&format!("<svg width=\"123\" height=\"45\" viewBox=\"0 0 {canvas} ")), "{s}");
    }
}
