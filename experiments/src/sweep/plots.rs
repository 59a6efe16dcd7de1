//! The chart set-up every SVG figure of the sweep shares, so each study's plot
//! states only what is particular to it: the picture ([`svg`]: size, white
//! background, resolution), the frame of a chart ([`Frame`] → [`framed`]: title,
//! margins, label areas, axis descriptions, tick formatters, grid, fonts), a
//! linear/log pair of panels ([`pair`]), labelled lines ([`lines`]), the legend
//! ([`legend`]) and the palette ([`color`]). Plotters' SVG backend draws into a
//! string (no system fonts needed).
//!
//! Resolution: plotters rounds every coordinate to a whole pixel of its canvas.
//! Each picture is drawn on a canvas [`Px`] times larger than its size in every
//! direction — every length the plots state (fonts, strokes, radii, margins,
//! offsets) goes through [`Px`] — and the SVG's `width`/`height` are then set
//! back to the picture's size, with `viewBox` the canvas: coordinates are
//! whole canvas pixels, `1 / Px` of a picture pixel.

use std::error::Error;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

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
    Ok(outline_rectangles(&out.replacen(&canvas_header, &header, 1), px))
}

/// Gives every rectangle outline a width of one picture pixel: plotters' SVG
/// backend writes no `stroke-width` for a rectangle, so it would be one canvas
/// pixel, `1 / Px` of a picture pixel. (Every outlined rectangle of the sweep,
/// legends' frames included, asks for one pixel.) Each element is one line.
fn outline_rectangles(svg: &str, px: Px) -> String {
    let width = format!(" stroke-width=\"{}\"/>", px.size(1));
    let mut out = String::with_capacity(svg.len());
    for line in svg.split_inclusive('\n') {
        if line.starts_with("<rect ") && line.contains("fill=\"none\"") && !line.contains("stroke-width") {
            out.push_str(&line.replacen("/>", &width, 1));
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Which grid lines a chart draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grid {
    Both,
    /// Horizontal lines only (bar charts over categories).
    Horizontal,
    None,
}

/// Everything about a chart but its data: what [`framed`] sets up.
pub struct Frame<'a> {
    /// A caption above the chart (none when the picture is titled).
    pub title: Option<&'a str>,
    pub title_size: u32,
    /// Axis descriptions (none when empty).
    pub x_desc: &'a str,
    pub y_desc: &'a str,
    pub x_ticks: Option<&'a dyn Fn(&f64) -> String>,
    pub y_ticks: Option<&'a dyn Fn(&f64) -> String>,
    /// How many tick labels (plotters' default 10).
    pub x_labels: Option<usize>,
    pub y_labels: Option<usize>,
    pub grid: Grid,
    /// Whether the x axis (its line, ticks and labels) is drawn.
    pub x_axis: bool,
    /// Top, right, bottom, left.
    pub margin: [u32; 4],
    /// The height of the x labels' area and the width of the y labels'.
    pub x_area: u32,
    pub y_area: u32,
    /// Tick labels; the axis descriptions are 2 pixels larger.
    pub text: u32,
}

impl Default for Frame<'_> {
    fn default() -> Self {
        Frame {
            title: None,
            title_size: 22,
            x_desc: "",
            y_desc: "",
            x_ticks: None,
            y_ticks: None,
            x_labels: None,
            y_labels: None,
            grid: Grid::Both,
            x_axis: true,
            margin: [15; 4],
            x_area: 45,
            y_area: 60,
            text: 14,
        }
    }
}

/// A chart on `area` with the axes `x` and `y` (ranges, or `log_range`s), framed by `frame`.
///
/// # Errors
/// A drawing error of plotters.
pub fn framed<'a, 'b, X, Y>(
    area: &'a Area<'b>,
    px: Px,
    frame: &Frame<'_>,
    x: X,
    y: Y,
) -> Result<Chart<'a, 'b, X::CoordDescType, Y::CoordDescType>, Box<dyn Error>>
where
    X: AsRangedCoord<Value = f64>,
    Y: AsRangedCoord<Value = f64>,
    X::CoordDescType: ValueFormatter<f64>,
    Y::CoordDescType: ValueFormatter<f64>,
{
    let mut builder = ChartBuilder::on(area);
    if let Some(title) = frame.title {
        builder.caption(title, px.font(frame.title_size));
    }
    let [top, right, bottom, left] = frame.margin.map(|m| px.size(m));
    builder.margin_top(top).margin_right(right).margin_bottom(bottom).margin_left(left);
    let mut chart = builder
        .x_label_area_size(px.size(frame.x_area))
        .y_label_area_size(px.size(frame.y_area))
        .build_cartesian_2d(x, y)?;
    let mut mesh = chart.configure_mesh();
    mesh.label_style(px.font(frame.text))
        .axis_desc_style(px.font(frame.text + 2))
        .bold_line_style(px.line(BLACK.mix(0.2), 1))
        .light_line_style(px.line(BLACK.mix(0.1), 1))
        .axis_style(px.line(BLACK, 1));
    if !frame.x_desc.is_empty() {
        mesh.x_desc(frame.x_desc);
    }
    if !frame.y_desc.is_empty() {
        mesh.y_desc(frame.y_desc);
    }
    if let Some(f) = frame.x_ticks {
        mesh.x_label_formatter(f);
    }
    if let Some(f) = frame.y_ticks {
        mesh.y_label_formatter(f);
    }
    if let Some(n) = frame.x_labels {
        mesh.x_labels(n);
    }
    if let Some(n) = frame.y_labels {
        mesh.y_labels(n);
    }
    if frame.grid != Grid::Both {
        mesh.disable_x_mesh();
    }
    if frame.grid == Grid::None {
        mesh.disable_y_mesh();
    }
    if !frame.x_axis {
        mesh.disable_x_axis();
    }
    mesh.draw()?;
    Ok(chart)
}

/// A log axis from `lo` to `hi`.
///
/// # Errors
/// The range is not positive, finite and ordered (a log axis of it cannot be drawn).
pub fn log_range(lo: f64, hi: f64) -> Result<LogCoord<f64>, Box<dyn Error>> {
    if !(lo > 0.0 && lo <= hi && hi.is_finite()) {
        return Err(format!("a log axis needs 0 < lo ≤ hi < ∞, got {lo}..{hi}").into());
    }
    Ok((lo..hi).log_scale().into())
}

/// A titled picture split into a left and a right panel of equal width
/// (e.g. the same curves on linear and log axes).
///
/// # Errors
/// A drawing error of plotters.
pub fn pair<'b>(root: &Area<'b>, px: Px, title: &str) -> Result<(Area<'b>, Area<'b>), Box<dyn Error>> {
    let root = root.titled(title, px.font(22))?;
    let half = root.dim_in_pixel().0 / 2;
    Ok(root.split_horizontally(half))
}

/// The legend key of a line series: a short line of width 2.
pub fn line_key(px: Px, c: RGBColor) -> impl Fn((i32, i32)) -> PathElement<(i32, i32)> {
    move |(x, y)| PathElement::new(vec![(x, y), (x + px.of(18), y)], px.line(c, 2))
}

/// The legend key of a point series: a dot.
pub fn dot_key(px: Px, c: RGBColor) -> impl Fn((i32, i32)) -> Circle<(i32, i32), u32> {
    move |(x, y)| Circle::new((x + px.of(9), y), px.size(4), c.filled())
}

/// Draws each `(label, points)` as a line of `width` in the palette's next
/// colour, with a legend key.
///
/// # Errors
/// A drawing error of plotters.
pub fn lines<X, Y>(
    chart: &mut Chart<'_, '_, X, Y>,
    px: Px,
    width: u32,
    series: impl IntoIterator<Item = (String, Vec<(f64, f64)>)>,
) -> PlotResult
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    for (i, (label, points)) in series.into_iter().enumerate() {
        chart
            .draw_series(LineSeries::new(points, px.line(color(i), width)))?
            .label(label)
            .legend(line_key(px, color(i)));
    }
    Ok(())
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

    fn picture(frame: &Frame<'_>) -> String {
        svg((400, 300), |root, px| {
            let mut c = framed(root, px, frame, 0.0..1.0, log_range(0.01, 1.0)?)?;
            lines(&mut c, px, 2, [("a curve".to_owned(), vec![(0.0, 0.01), (1.0, 1.0)])])?;
            legend(&mut c, px, SeriesLabelPosition::UpperLeft)
        })
        .expect("a valid chart")
    }

    #[test]
    fn the_svg_has_its_title_axis_labels_and_legend() {
        let s =
            picture(&Frame { title: Some("A title"), x_desc: "the x axis", y_desc: "the y axis", ..Frame::default() });
        for text in ["A title", "the x axis", "the y axis", "a curve"] {
            assert!(s.contains(&format!(">\n{text}\n</text>")), "{text} missing");
        }
        assert!(s.starts_with("<svg width=\"400\" height=\"300\" viewBox=\"0 0 "), "{}", &s[..80]);
        assert!(s.contains("<polyline"), "the curve is drawn");
    }

    #[test]
    fn tick_formatters_are_used() {
        let ticks = |v: &f64| format!("tick {v:.1}");
        let s = picture(&Frame { x_ticks: Some(&ticks), ..Frame::default() });
        assert!(s.contains(">\ntick 0.5\n</text>"), "a formatted x tick");
    }

    #[test]
    fn log_axes_refuse_non_positive_ranges() {
        for (lo, hi) in [(0.0, 1.0), (-1.0, 1.0), (2.0, 1.0), (1.0, f64::INFINITY), (f64::NAN, 1.0)] {
            let e = log_range(lo, hi).err().expect("refused");
            assert!(e.to_string().starts_with("a log axis needs 0 < lo ≤ hi < ∞"), "{e}");
        }
        assert!(log_range(1e-300, 1e300).is_ok());
        // Through `svg`, the refusal is an error, not a panic.
        let e =
            svg((100, 100), |root, px| framed(root, px, &Frame::default(), 0.0..1.0, log_range(0.0, 1.0)?).map(drop))
                .expect_err("refused");
        assert!(e.to_string().contains("a log axis needs"), "{e}");
    }

    #[test]
    fn curves_are_placed_finer_than_a_picture_pixel() {
        // A 3× zoom shows no steps when a curve's points fall between whole picture pixels.
        let k = Px(RESOLUTION).size(1);
        assert!(k >= 3, "{k} canvas pixels per picture pixel");
        let s = svg((200, 100), |root, px| {
            let mut c = framed(root, px, &Frame::default(), 0.0..1.0, 0.0..1.0)?;
            let slope = (0..=100).map(|i| (f64::from(i) / 100.0, f64::from(i) / 300.0)).collect();
            lines(&mut c, px, 1, [("slope".to_owned(), slope)])
        })
        .expect("a curve");
        let curve = s.lines().find(|l| l.starts_with("<polyline") && l.matches(',').count() > 50).expect("the curve");
        let points = curve.split("points=\"").nth(1).and_then(|p| p.split('"').next()).expect("its points");
        let between = points.split([' ', ',']).filter_map(|v| v.parse::<u32>().ok()).filter(|v| v % k != 0).count();
        assert!(between > 50, "{between} coordinates between whole picture pixels: {points}");
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
