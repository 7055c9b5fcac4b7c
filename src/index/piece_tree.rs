//! A packed, static R-tree over boundary pieces, walked best-first with geodesic lower
//! bounds in metres.
//!
//! The pieces are sorted along a Hilbert curve of their box centres and packed
//! [`NODE_SIZE`] to a node, level by level, so a node's children are a contiguous range
//! (no pointers, one allocation). Each node keeps its lon/lat box and the latitude
//! [`Factors`] of that box, so its lower bound costs a few multiplications and a square root
//! (no trigonometry) and is tight: the walk stops as soon as the nearest piece found so far
//! is closer than anything left, and hands out pieces in order of their own lower bound,
//! so few exact geodesic distances are computed.

use crate::geometry::bounds::{Factors, QueryPoint};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Pieces per bottom node, and children per node above.
const LEAF_SIZE: usize = 6;
const NODE_SIZE: usize = 6;
/// The bit that marks a heap entry as a piece rather than a node.
const PIECE_BIT: u64 = 1 << 63;

/// A heap entry: the lower bound's bits (non-negative, so they order like the numbers)
/// above the tagged index, so that one integer comparison orders entries.
fn entry(lb: f64, tagged: u64) -> u128 {
    let bits = if lb > 0.0 { lb.to_bits() } else { 0 };
    (u128::from(bits) << 64) | u128::from(tagged)
}

#[derive(Debug, Clone)]
struct Node {
    bounds: [f64; 4],
    factors: Factors,
    /// First child: a piece index for level-0 nodes, a node index above.
    first: usize,
    count: usize,
    leaf_parent: bool,
}

/// The tree; piece `i` is the `i`-th box given to [`PieceTree::build`].
#[derive(Debug, Clone, Default)]
pub(crate) struct PieceTree {
    nodes: Vec<Node>,
}

/// A Hilbert curve over the box of some boxes' centres: sort boxes by [`HilbertCurve::key`]
/// before building the tree, so that a node's pieces lie close together.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HilbertCurve {
    lo: [f64; 2],
    hi: [f64; 2],
}

fn centre(b: &[f64; 4]) -> [f64; 2] {
    [(b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0]
}

impl HilbertCurve {
    pub(crate) fn over(boxes: impl Iterator<Item = [f64; 4]>) -> HilbertCurve {
        let mut curve = HilbertCurve {
            lo: [f64::INFINITY; 2],
            hi: [f64::NEG_INFINITY; 2],
        };
        for b in boxes {
            let [x, y] = centre(&b);
            curve.lo = [curve.lo[0].min(x), curve.lo[1].min(y)];
            curve.hi = [curve.hi[0].max(x), curve.hi[1].max(y)];
        }
        curve
    }

    /// The position of the box's centre along the curve.
    pub(crate) fn key(&self, b: &[f64; 4]) -> u64 {
        let cell = |v: f64, lo: f64, hi: f64| -> u32 {
            if hi > lo {
                (((v - lo) / (hi - lo)) * 65_535.0).clamp(0.0, 65_535.0) as u32
            } else {
                0
            }
        };
        let [x, y] = centre(b);
        hilbert_index(cell(x, self.lo[0], self.hi[0]), cell(y, self.lo[1], self.hi[1]))
    }
}

/// Position of cell (`x`, `y`) (each below 2¹⁶) along a Hilbert curve filling the square.
fn hilbert_index(mut x: u32, mut y: u32) -> u64 {
    let n: u32 = 1 << 16;
    let mut d: u64 = 0;
    let mut s = n / 2;
    while s > 0 {
        let rx = u32::from(x & s > 0);
        let ry = u32::from(y & s > 0);
        d += u64::from(s) * u64::from(s) * u64::from((3 * rx) ^ ry);
        // Rotate the quadrant so the curve stays continuous.
        if ry == 0 {
            if rx == 1 {
                x = n - 1 - x;
                y = n - 1 - y;
            }
            std::mem::swap(&mut x, &mut y);
        }
        s /= 2;
    }
    d
}

fn union(a: [f64; 4], b: [f64; 4]) -> [f64; 4] {
    [a[0].min(b[0]), a[1].min(b[1]), a[2].max(b[2]), a[3].max(b[3])]
}

impl PieceTree {
    /// Packs the tree over `boxes` (`[min_lon, min_lat, max_lon, max_lat]`), in the order
    /// given (best: sorted by [`HilbertCurve::key`]).
    pub(crate) fn build(boxes: &[[f64; 4]]) -> PieceTree {
        let mut nodes: Vec<Node> = Vec::with_capacity(boxes.len() / (NODE_SIZE - 1) + 2);
        let make = |bounds: [f64; 4], first: usize, count: usize, leaf_parent: bool| Node {
            bounds,
            factors: Factors::new(bounds[1], bounds[3]),
            first,
            count,
            leaf_parent,
        };
        for (k, chunk) in boxes.chunks(LEAF_SIZE).enumerate() {
            let bounds = chunk.iter().copied().reduce(union).unwrap_or([0.0; 4]);
            nodes.push(make(bounds, k * LEAF_SIZE, chunk.len(), true));
        }
        let mut level = 0..nodes.len();
        while level.len() > 1 {
            let start = nodes.len();
            let mut first = level.start;
            while first < level.end {
                let count = NODE_SIZE.min(level.end - first);
                let bounds = nodes
                    .get(first..first + count)
                    .unwrap_or_default()
                    .iter()
                    .map(|n| n.bounds)
                    .reduce(union)
                    .unwrap_or([0.0; 4]);
                nodes.push(make(bounds, first, count, false));
                first += count;
            }
            level = start..nodes.len();
        }
        PieceTree { nodes }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.nodes.capacity() * std::mem::size_of::<Node>()
    }

    /// Best-first walk from `q`. `piece_bound(i)` gives a lower bound (m) on the distance
    /// to piece `i`, or `None` to skip it; `piece_upper(i)` an upper bound, which lowers
    /// `limit` at once (the nearest piece is never farther). `visit(i, lower_bound, &mut
    /// limit)` measures a piece and may lower `limit`. Pieces are visited in order of their lower bound, and only while that bound
    /// is at most `limit`; nodes and pieces farther than `limit` are never opened.
    pub(crate) fn walk(
        &self,
        q: &QueryPoint,
        limit: &mut f64,
        piece_bound: impl Fn(usize) -> Option<f64>,
        piece_upper: impl Fn(usize) -> f64,
        mut visit: impl FnMut(usize, f64, &mut f64),
    ) {
        let Some(root) = self.nodes.len().checked_sub(1) else {
            return;
        };
        let mut heap: BinaryHeap<Reverse<u128>> = BinaryHeap::with_capacity(64);
        // The nearest entry found while opening the last node is kept out of the heap: it
        // is usually the next one out, which saves a push and a pop.
        let mut held: Option<u128> = Some(entry(0.0, root as u64));
        loop {
            let top = match (held.take(), heap.peek()) {
                (Some(h), Some(&Reverse(first))) if first < h => {
                    heap.push(Reverse(h));
                    heap.pop().map(|Reverse(e)| e)
                }
                (Some(h), _) => Some(h),
                (None, _) => heap.pop().map(|Reverse(e)| e),
            };
            let Some(top) = top else {
                break;
            };
            let lb = f64::from_bits((top >> 64) as u64);
            let id = top as u64;
            if lb > *limit {
                break;
            }
            if id & PIECE_BIT != 0 {
                visit((id & !PIECE_BIT) as usize, lb, limit);
                continue;
            }
            let Some(node) = self.nodes.get(id as usize) else {
                continue;
            };
            let mut keep = |e: u128| match held {
                Some(h) if h <= e => heap.push(Reverse(e)),
                Some(h) => {
                    heap.push(Reverse(h));
                    held = Some(e);
                }
                None => held = Some(e),
            };
            let children = node.first..node.first + node.count;
            if node.leaf_parent {
                for i in children {
                    if let Some(lb) = piece_bound(i) {
                        if lb <= *limit {
                            *limit = limit.min(piece_upper(i));
                            keep(entry(lb, i as u64 | PIECE_BIT));
                        }
                    }
                }
            } else {
                for i in children {
                    let Some(child) = self.nodes.get(i) else {
                        continue;
                    };
                    let lb = q.box_lower_bound_m(&child.bounds, &child.factors);
                    if lb <= *limit {
                        keep(entry(lb, i as u64));
                    }
                }
            }
        }
    }
}
