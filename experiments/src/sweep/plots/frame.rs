//! The frame of a chart: everything about it but its data ([`Frame`]: title,
//! margins, label areas, axis descriptions, tick formatters, grid — major lines
//! only, no dense minor grid —, fonts), set
//! up by [`framed`]; log axes ([`log_range`]) and a linear/log pair of panels ([`pair`]).

use std::error::Error;

use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::prelude::*;

use super::{Area, Chart, Px};

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
        .max_light_lines(0)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::plots::{RESOLUTION, color, legend, line_key, svg};

    fn picture(frame: &Frame<'_>) -> String {
        svg((400, 300), |root, px| {
            let mut c = framed(root, px, frame, 0.0..1.0, log_range(0.01, 1.0)?)?;
            c.draw_series(LineSeries::new([(0.0, 0.01), (1.0, 1.0)], px.line(color(0), 2)))?
                .label("a curve")
                .legend(line_key(px, color(0)));
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
            let slope = (0..=100).map(|i| (f64::from(i) / 100.0, f64::from(i) / 300.0));
            c.draw_series(LineSeries::new(slope, px.line(color(0), 1)))?;
            Ok(())
        })
        .expect("a curve");
        let curve = s.lines().find(|l| l.starts_with("<polyline") && l.matches(',').count() > 50).expect("the curve");
        let points = curve.split("points=\"").nth(1).and_then(|p| p.split('"').next()).expect("its points");
        let between = points.split([' ', ',']).filter_map(|v| v.parse::<u32>().ok()).filter(|v| v % k != 0).count();
        assert!(between > 50, "{between} coordinates between whole picture pixels: {points}");
    }
}
