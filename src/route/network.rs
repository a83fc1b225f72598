//! The road network as a graph: nodes numbered, an adjacency index per
//! node (compressed rows), and per segment the tightest limit of each kind
//! over its structures, so a search never looks at a structure twice.

use std::collections::HashMap;

use super::{Constraint, needs_survey, road_needs_survey};
use crate::registry::{RoadSegment, Structure};
use crate::rules::RouteRules;

/// No limit of this kind on the segment.
pub(super) const OPEN: u32 = u32::MAX;

#[derive(Debug, Clone)]
pub struct Network {
    pub(super) node_ids: Vec<String>,
    node_index: HashMap<String, u32>,
    pub(super) segments: Vec<RoadSegment>,
    /// Segment index by id.
    segment_index: HashMap<String, u32>,
    /// Each segment's structures (those naming an unknown segment are dropped).
    pub(super) structures: Vec<Vec<Structure>>,
    /// Per segment, the lowest limit of each of [`Constraint::LIMITS`] over its
    /// structures, or [`OPEN`].
    pub(super) caps: Vec<[u32; 4]>,
    /// Per segment, its structures that need a survey.
    pub(super) surveys: Vec<u32>,
    /// Per segment, whether its road class needs a survey.
    pub(super) survey_road: Vec<bool>,
    /// Per segment, its two ends as node numbers.
    pub(super) ends: Vec<(u32, u32)>,
    /// `adjacent[start[n]..start[n + 1]]` are node n's (neighbour, segment).
    start: Vec<u32>,
    adjacent: Vec<(u32, u32)>,
    pub(super) rules: RouteRules,
}

impl Network {
    /// The graph of `segments` (driven either way, `spec/registry.md`) with
    /// their `structures`; survey needs are read with `rules`.
    pub fn build(segments: Vec<RoadSegment>, structures: Vec<Structure>, rules: &RouteRules) -> Network {
        let mut node_index: HashMap<String, u32> = HashMap::new();
        let mut node_ids = vec![];
        let mut number = |id: &str| -> u32 {
            if let Some(&n) = node_index.get(id) {
                return n;
            }
            let n = node_ids.len() as u32;
            node_ids.push(id.to_string());
            node_index.insert(id.to_string(), n);
            n
        };
        let ends: Vec<(u32, u32)> = segments.iter().map(|s| (number(&s.from_node), number(&s.to_node))).collect();
        let segment_index: HashMap<String, u32> = segments.iter().enumerate().map(|(i, s)| (s.id.clone(), i as u32)).collect();
        let mut by_segment: Vec<Vec<Structure>> = vec![vec![]; segments.len()];
        for s in structures {
            if let Some(&i) = segment_index.get(&s.segment_id) {
                by_segment[i as usize].push(s);
            }
        }
        let caps = by_segment
            .iter()
            .map(|ss| Constraint::LIMITS.map(|c| ss.iter().filter_map(|s| c.allowed(s)).min().unwrap_or(OPEN)))
            .collect();
        let surveys = by_segment.iter().map(|ss| ss.iter().filter(|s| needs_survey(s, rules)).count() as u32).collect();
        let survey_road = segments.iter().map(|s| road_needs_survey(s, rules)).collect();

        // Compressed adjacency: count each node's segments, then fill.
        let mut start = vec![0u32; node_ids.len() + 1];
        for &(a, b) in &ends {
            start[a as usize + 1] += 1;
            if b != a {
                start[b as usize + 1] += 1;
            }
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut fill = start.clone();
        let mut adjacent = vec![(0u32, 0u32); *start.last().unwrap_or(&0) as usize];
        for (seg, &(a, b)) in ends.iter().enumerate() {
            adjacent[fill[a as usize] as usize] = (b, seg as u32);
            fill[a as usize] += 1;
            if b != a {
                adjacent[fill[b as usize] as usize] = (a, seg as u32);
                fill[b as usize] += 1;
            }
        }
        Network { node_ids, node_index, segments, segment_index, structures: by_segment, caps, surveys, survey_road, ends, start, adjacent, rules: rules.clone() }
    }

    pub fn node(&self, id: &str) -> Option<u32> {
        self.node_index.get(id).copied()
    }

    pub fn segment(&self, id: &str) -> Option<u32> {
        self.segment_index.get(id).copied()
    }

    /// Node `n`'s neighbours, each with the segment that leads there.
    pub(super) fn adjacent(&self, n: u32) -> &[(u32, u32)] {
        &self.adjacent[self.start[n as usize] as usize..self.start[n as usize + 1] as usize]
    }

    pub fn node_count(&self) -> usize {
        self.node_ids.len()
    }

    pub fn segment_count(&self) -> usize {
        self.segments.len()
    }
}

/// The whole road network with its structures, for route suggestions:
/// read when a suggestion is asked for, so it is never stale after an import.
pub async fn load(db: &crate::db::Db, rules: &RouteRules) -> Result<Network, sqlx::Error> {
    let segments = crate::store::registry::fetch_all(db, "road_segments").await?;
    let structures = crate::store::registry::fetch_all(db, "structures").await?;
    Ok(Network::build(segments, structures, rules))
}

