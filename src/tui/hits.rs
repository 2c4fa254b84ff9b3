//! Where things were drawn, for the mouse: each pane's `draw` records the rectangles of what
//! can be clicked or scrolled, with the scroll offsets it actually used, so hit-testing never
//! repeats a layout by hand.

use ratatui::layout::{Position, Rect};

use super::tabs::Pane;

/// The lists and views a pane draws that the mouse can reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// Corpus: the actor × emotion grid.
    Grid,
    /// Corpus: the clips of the selected cell.
    Clips,
    /// Corpus: the scan's problems.
    Problems,
    /// Inspect: the feature view.
    Features,
    /// Train: the form, the runs, the clips behind a confusion cell.
    Form,
    Runs,
    CellClips,
    /// Compare: the table of experiments.
    Experiments,
    /// Classify: the history, the file browser.
    History,
    Browser,
}

/// What a position on screen is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Tab(Pane),
    /// A grid cell: actor position and emotion index.
    Cell(usize, usize),
    /// Row `index` of a list (the item's index, scroll offset already applied).
    Row(Surface, usize),
    /// Anywhere else over a surface (for the wheel).
    Over(Surface),
}

/// The regions of the last frame; later ones lie on top of earlier ones.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HitMap {
    regions: Vec<(Rect, Target)>,
}

impl HitMap {
    pub fn add(&mut self, area: Rect, target: Target) {
        if area.width > 0 && area.height > 0 {
            self.regions.push((area, target));
        }
    }

    /// Rows `first..` of a list drawn `lines_per_item` lines each from `area`'s top, plus the
    /// list's whole area for the wheel.
    pub fn list(
        &mut self,
        area: Rect,
        surface: Surface,
        first: usize,
        count: usize,
        lines_per_item: u16,
    ) {
        self.add(area, Target::Over(surface));
        let per = lines_per_item.max(1);
        for k in 0..count {
            let y = area.y + k as u16 * per;
            if y >= area.y + area.height {
                break;
            }
            let height = per.min(area.y + area.height - y);
            self.add(Rect { y, height, ..area }, Target::Row(surface, first + k));
        }
    }

    /// What is at (column, row): the topmost, innermost region.
    pub fn at(&self, column: u16, row: u16) -> Option<Target> {
        self.regions
            .iter()
            .rev()
            .find(|(r, _)| r.contains(Position::new(column, row)))
            .map(|(_, t)| *t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_carry_the_scroll_offset_and_later_regions_win() {
        let mut h = HitMap::default();
        h.list(Rect::new(0, 10, 20, 6), Surface::Clips, 7, 10, 2);
        assert_eq!(h.at(3, 10), Some(Target::Row(Surface::Clips, 7)));
        assert_eq!(h.at(3, 13), Some(Target::Row(Surface::Clips, 8)));
        assert_eq!(h.at(3, 15), Some(Target::Row(Surface::Clips, 9)));
        assert_eq!(h.at(3, 16), None);
        assert_eq!(
            h.at(3, 11),
            Some(Target::Row(Surface::Clips, 7)),
            "two lines an item"
        );
        h.add(Rect::new(0, 10, 5, 1), Target::Tab(Pane::Log));
        assert_eq!(h.at(3, 10), Some(Target::Tab(Pane::Log)));
    }
}
