//! Where this frame drew the things a lesson is about (lanes, the latency plot, the UDP panel,
//! painted labels), and what part of each the user can see.
//!
//! The layout tests assert on it ("the evidence lies inside the window, no two labels
//! overlap"), and `STICKYVIZ_LAYOUT=FILE` writes it as JSON after every frame, so a test driving
//! the real binary with a real pointer knows where to click and where the lanes should be.

use egui::{Context, Id, Rect, Ui};

/// One drawn thing: its rectangle, and the part of it inside its scroll area / panel.
#[derive(Clone, Debug, PartialEq)]
pub struct Shown {
    pub name: String,
    pub rect: Rect,
    pub visible: Rect,
}

impl Shown {
    /// Wholly on screen: not scrolled away, not cut by a panel edge.
    pub fn fully_visible(&self) -> bool {
        self.visible.is_positive() && self.visible.contains_rect(self.rect.shrink(0.5))
    }
}

/// Painted labels (not widgets), checked for overlaps; kept apart from the named areas.
#[derive(Clone, Debug, Default)]
struct Frame {
    areas: Vec<Shown>,
    labels: Vec<Shown>,
}

fn id() -> Id {
    Id::unique("stickyviz_shown")
}

/// Forgets the previous frame's records; called once at the top of each frame.
pub fn begin_frame(ctx: &Context) {
    ctx.data_mut(|d| d.insert_temp(id(), Frame::default()));
}

/// Records an area (`lane.reads`, `latency`, `udp`, …) drawn at `rect` in `ui`.
pub fn area(ui: &Ui, name: impl Into<String>, rect: Rect) {
    let visible = rect.intersect(ui.clip_rect());
    let item = Shown {
        name: name.into(),
        rect,
        visible,
    };
    ui.ctx()
        .data_mut(|d| d.get_temp_mut_or_default::<Frame>(id()).areas.push(item));
}

/// Records a label painted at `rect`.
pub fn label(ui: &Ui, text: &str, rect: Rect) {
    let visible = rect.intersect(ui.clip_rect());
    let item = Shown {
        name: text.to_string(),
        rect,
        visible,
    };
    ui.ctx()
        .data_mut(|d| d.get_temp_mut_or_default::<Frame>(id()).labels.push(item));
}

/// [`area`] for something drawn with a painter (its clip rect stands for the panel's).
pub fn painted_area(p: &egui::Painter, name: &str, rect: Rect) {
    let item = Shown {
        name: name.to_string(),
        rect,
        visible: rect.intersect(p.clip_rect()),
    };
    p.ctx()
        .data_mut(|d| d.get_temp_mut_or_default::<Frame>(id()).areas.push(item));
}

/// [`label`] for text drawn with a painter.
pub fn painted_label(p: &egui::Painter, text: &str, rect: Rect) {
    let item = Shown {
        name: text.to_string(),
        rect,
        visible: rect.intersect(p.clip_rect()),
    };
    p.ctx()
        .data_mut(|d| d.get_temp_mut_or_default::<Frame>(id()).labels.push(item));
}

/// The areas drawn in the last frame, in drawing order.
pub fn areas(ctx: &Context) -> Vec<Shown> {
    ctx.data(|d| d.get_temp::<Frame>(id()).map(|f| f.areas).unwrap_or_default())
}

/// The first area called `name` in the last frame.
pub fn find(ctx: &Context, name: &str) -> Option<Shown> {
    areas(ctx).into_iter().find(|s| s.name == name)
}

/// The painted labels of the last frame.
pub fn labels(ctx: &Context) -> Vec<Shown> {
    ctx.data(|d| d.get_temp::<Frame>(id()).map(|f| f.labels).unwrap_or_default())
}

/// Pairs of painted labels that overlap on screen (both at least partly visible).
pub fn overlapping_labels(ctx: &Context) -> Vec<(Shown, Shown)> {
    let labels: Vec<Shown> = labels(ctx).into_iter().filter(|l| l.visible.is_positive()).collect();
    let mut out = Vec::new();
    for (i, a) in labels.iter().enumerate() {
        for b in &labels[i + 1..] {
            // touching edges are fine; a shared area of more than a pixel is not
            let both = a.visible.intersect(b.visible);
            if both.width() > 1.0 && both.height() > 1.0 {
                out.push((a.clone(), b.clone()));
            }
        }
    }
    out
}

/// The last frame as JSON, in physical pixels of the window (points × `pixels_per_point`).
pub fn to_json(ctx: &Context) -> String {
    let ppp = ctx.pixels_per_point();
    let screen = ctx.content_rect();
    let rect = |r: Rect| serde_json::json!([r.min.x * ppp, r.min.y * ppp, r.max.x * ppp, r.max.y * ppp]);
    let items = |v: Vec<Shown>| -> Vec<serde_json::Value> {
        v.into_iter().map(|s| serde_json::json!({"name": s.name, "rect": rect(s.rect), "visible": rect(s.visible), "fully_visible": s.fully_visible()})).collect()
    };
    serde_json::json!({"screen": rect(screen), "areas": items(areas(ctx)), "labels": items(labels(ctx))}).to_string()
}
