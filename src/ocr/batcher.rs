//! Network calls of many pages merged into batches, for a GPU.
//!
//! A GPU runs a batch of line crops in about the time of one crop, so one
//! call per page (or per crop) leaves it idle. [`Batched`] wraps a
//! backend's [`Nets`] and is one itself: every caller (a page being read,
//! whichever application it belongs to) queues its call and waits; one
//! worker thread owns the networks, takes everything queued, runs it in as
//! few calls as it can, and hands each caller its share of the output.
//!
//! - recognition: crops of any width, sorted by width and padded with the
//!   models' blank (0, mid-grey) to the widest of their batch, up to
//!   [`BatchParams::max_crops`] per call and at most
//!   [`BatchParams::max_pad`] times wider than the narrowest;
//! - detection: pages of one size together, up to [`BatchParams::max_pages`]
//!   (and the network's own limit, [`Nets::detect_batch_limit`]);
//! - the classifier: its input is always 192 wide, so any crops together.
//!
//! Nothing waits for a batch to fill: while the networks run one batch the
//! next callers queue, so batches grow with the load and a lone page pays
//! no delay. The outputs are the networks' on the merged input; a crop's
//! frames past its own width are dropped, so callers see the shape they
//! asked for. (The recogniser mixes a line's frames with attention, so a
//! crop padded wider reads very slightly different log-probabilities, as
//! in any width-sorted batch; the tests compare texts.)

use std::sync::Mutex;
use std::sync::mpsc;
use std::thread::JoinHandle;

use anyhow::anyhow;
use rten_tensor::{NdTensor, NdTensorView};
use rten_tensor::prelude::*;

use super::backend::Nets;

/// How far calls are merged.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BatchParams {
    /// Line crops per recognition or classifier call.
    pub max_crops: usize,
    /// Pages per detection call.
    pub max_pages: usize,
    /// A crop is padded to at most this many times its own width (the
    /// widest of its batch over the narrowest): padding is computed too.
    pub max_pad: f32,
}

impl Default for BatchParams {
    fn default() -> Self {
        // Not tuned on a GPU (none here): 64 crops of 48 × 320 are ~4 MB of
        // input; docs/benchmarks.md ("GPU guide") says how to measure.
        BatchParams { max_crops: 64, max_pages: 4, max_pad: 2.0 }
    }
}

enum Call {
    Detect(NdTensor<f32, 4>),
    Recognize(NdTensor<f32, 4>),
    Classify(NdTensor<f32, 4>),
}

enum Output {
    Detect(NdTensor<f32, 4>),
    Recognize(NdTensor<f32, 3>),
    Classify(NdTensor<f32, 2>),
}

struct Job {
    call: Call,
    reply: mpsc::Sender<anyhow::Result<Output>>,
}

/// [`Nets`] whose calls from many threads are merged into batches.
pub(crate) struct Batched {
    queue: Mutex<Option<mpsc::Sender<Job>>>,
    worker: Option<JoinHandle<()>>,
}

impl Batched {
    pub(crate) fn new(nets: Box<dyn Nets>, mut params: BatchParams) -> Batched {
        if let Some(limit) = nets.detect_batch_limit() {
            params.max_pages = params.max_pages.min(limit);
        }
        let (tx, rx) = mpsc::channel();
        let worker = std::thread::Builder::new()
            .name("ocr-batcher".into())
            .spawn(move || serve(&*nets, &rx, params))
            .expect("the OS starts a thread");
        Batched { queue: Mutex::new(Some(tx)), worker: Some(worker) }
    }

    fn call(&self, call: Call) -> anyhow::Result<Output> {
        let (reply, answer) = mpsc::channel();
        let queue = self.queue.lock().unwrap().clone().ok_or_else(|| anyhow!("the OCR batcher has stopped"))?;
        queue.send(Job { call, reply }).map_err(|_| anyhow!("the OCR batcher has stopped"))?;
        answer.recv().map_err(|_| anyhow!("the OCR batcher stopped before answering"))?
    }
}

impl Drop for Batched {
    fn drop(&mut self) {
        // Closing the queue ends the worker's loop.
        self.queue.lock().unwrap().take();
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
    }
}

impl Nets for Batched {
    fn detect(&self, input: NdTensor<f32, 4>) -> anyhow::Result<NdTensor<f32, 4>> {
        match self.call(Call::Detect(input))? {
            Output::Detect(t) => Ok(t),
            _ => unreachable!("a detect call is answered by detection"),
        }
    }
    fn recognize(&self, input: NdTensor<f32, 4>) -> anyhow::Result<NdTensor<f32, 3>> {
        match self.call(Call::Recognize(input))? {
            Output::Recognize(t) => Ok(t),
            _ => unreachable!("a recognize call is answered by recognition"),
        }
    }
    fn classify(&self, input: NdTensor<f32, 4>) -> anyhow::Result<NdTensor<f32, 2>> {
        match self.call(Call::Classify(input))? {
            Output::Classify(t) => Ok(t),
            _ => unreachable!("a classify call is answered by the classifier"),
        }
    }
}

/// The worker: waits for a call, takes every call queued behind it, runs
/// them merged, answers each; until the queue closes.
fn serve(nets: &dyn Nets, rx: &mpsc::Receiver<Job>, params: BatchParams) {
    while let Ok(first) = rx.recv() {
        let mut jobs = vec![first];
        jobs.extend(rx.try_iter());
        let (mut det, mut rec, mut cls) = (vec![], vec![], vec![]);
        for Job { call, reply } in jobs {
            match call {
                Call::Detect(t) => det.push((t, reply)),
                Call::Recognize(t) => rec.push((t, reply)),
                Call::Classify(t) => cls.push((t, reply)),
            }
        }
        // Recognition and the classifier first: a page waiting for them is
        // further along than one waiting for detection.
        rec.sort_by_key(|(t, _)| t.size(3));
        for g in groups(&rec, |a, b| b.size(3) as f32 <= a.size(3) as f32 * params.max_pad, params.max_crops) {
            answer(&rec[g], |t, shapes| Ok(split_frames(&nets.recognize(t)?, &shapes)), Output::Recognize);
        }
        for g in groups(&cls, |_, _| true, params.max_crops) {
            answer(&cls[g], |t, shapes| Ok(split_rows(&nets.classify(t)?, &shapes)), Output::Classify);
        }
        det.sort_by_key(|(t, _)| (t.size(2), t.size(3)));
        for g in groups(&det, |a, b| a.size(2) == b.size(2) && a.size(3) == b.size(3), params.max_pages) {
            answer(&det[g], |t, shapes| Ok(split_rows(&nets.detect(t)?, &shapes)), Output::Detect);
        }
    }
}

type Pending = (NdTensor<f32, 4>, mpsc::Sender<anyhow::Result<Output>>);

/// Consecutive runs of `jobs` (already sorted) that `fits(first, next)`
/// allows together, with at most `max` rows in all (a larger call alone).
fn groups<R>(jobs: &[(NdTensor<f32, 4>, R)], fits: impl Fn(&NdTensor<f32, 4>, &NdTensor<f32, 4>) -> bool, max: usize) -> Vec<std::ops::Range<usize>> {
    let mut out = vec![];
    let mut start = 0;
    let mut rows = 0;
    for (i, (t, _)) in jobs.iter().enumerate() {
        let n = t.size(0);
        if i > start && (rows + n > max || !fits(&jobs[start].0, t)) {
            out.push(start..i);
            start = i;
            rows = 0;
        }
        rows += n;
    }
    if start < jobs.len() {
        out.push(start..jobs.len());
    }
    out
}

/// Runs one group's inputs merged and sends each caller its part, or the
/// error. `run` gets the merged input and each caller's input shape.
fn answer<T>(jobs: &[Pending], run: impl FnOnce(NdTensor<f32, 4>, Vec<[usize; 4]>) -> anyhow::Result<Vec<T>>, wrap: impl Fn(T) -> Output) {
    let shapes = jobs.iter().map(|(t, _)| t.shape()).collect();
    match run(merge(jobs.iter().map(|(t, _)| t)), shapes) {
        Ok(parts) => {
            for ((_, reply), part) in jobs.iter().zip(parts) {
                // A caller that has gone away no longer needs its answer.
                let _ = reply.send(Ok(wrap(part)));
            }
        }
        Err(e) => {
            for (_, reply) in jobs {
                let _ = reply.send(Err(anyhow!("{e:#}")));
            }
        }
    }
}

/// The inputs stacked along the batch axis, each padded with 0 on the
/// right and bottom to the largest height and width.
fn merge<'a>(inputs: impl Iterator<Item = &'a NdTensor<f32, 4>> + Clone) -> NdTensor<f32, 4> {
    let n: usize = inputs.clone().map(|t| t.size(0)).sum();
    let c = inputs.clone().map(|t| t.size(1)).max().unwrap_or(1);
    let h = inputs.clone().map(|t| t.size(2)).max().unwrap_or(1);
    let w = inputs.clone().map(|t| t.size(3)).max().unwrap_or(1);
    let mut out = NdTensor::<f32, 4>::zeros([n, c, h, w]);
    let mut row = 0;
    for t in inputs {
        let [tn, tc, th, tw] = t.shape();
        out.slice_mut((row..row + tn, ..tc, ..th, ..tw)).copy_from(t);
        row += tn;
    }
    out
}

/// Each caller's rows of a merged output, along the output's batch `axis`.
fn rows<'a, const N: usize>(out: NdTensorView<'a, f32, N>, axis: usize, inputs: &'a [[usize; 4]]) -> impl Iterator<Item = NdTensorView<'a, f32, N>> + 'a {
    inputs.iter().scan(0, move |row, &[n, ..]| {
        let part = out.slice_axis(axis, *row..*row + n);
        *row += n;
        Some(part)
    })
}

/// Recognition output `[frames, N, classes]` of a merged input, split back:
/// each caller's rows, and the frames of its own width.
fn split_frames(out: &NdTensor<f32, 3>, inputs: &[[usize; 4]]) -> Vec<NdTensor<f32, 3>> {
    let frames = out.size(0);
    let width = inputs.iter().map(|s| s[3]).max().unwrap_or(1);
    rows(out.view(), 1, inputs).zip(inputs).map(|(part, s)| part.slice_axis(0, 0..frames * s[3] / width).to_tensor()).collect()
}

/// Classifier (`[N, 2]`) or detector (`[N, 1, H, W]`) output split back
/// into each caller's rows.
fn split_rows<const N: usize>(out: &NdTensor<f32, N>, inputs: &[[usize; 4]]) -> Vec<NdTensor<f32, N>> {
    rows(out.view(), 0, inputs).map(|part| part.to_tensor()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Barrier};

    /// A fake recogniser whose output says what it was given: frame `t` of
    /// row `b` holds, in class 0, the mean of the input's column block `t`
    /// (8 pixels wide) of that row; it records every batch it ran.
    #[derive(Default)]
    struct Echo {
        calls: Mutex<Vec<(&'static str, [usize; 4])>>,
        slow: AtomicUsize,
        /// What it answers to [`Nets::detect_batch_limit`].
        page_limit: Option<usize>,
    }

    impl Echo {
        fn log(&self, what: &'static str, input: &NdTensor<f32, 4>) {
            self.calls.lock().unwrap().push((what, input.shape()));
            // The first call is slow, so the others queue behind it (long
            // enough for a loaded CI machine to start the callers).
            if self.slow.fetch_add(1, Ordering::SeqCst) == 0 {
                std::thread::sleep(std::time::Duration::from_millis(1000));
            }
        }
    }

    fn block_mean(input: &NdTensor<f32, 4>, b: usize, x0: usize, x1: usize) -> f32 {
        let [_, _, h, _] = input.shape();
        let mut s = 0.0;
        for y in 0..h {
            for x in x0..x1 {
                s += input[[b, 0, y, x]];
            }
        }
        s / ((x1 - x0) * h) as f32
    }

    impl Nets for Echo {
        fn detect(&self, input: NdTensor<f32, 4>) -> anyhow::Result<NdTensor<f32, 4>> {
            self.log("detect", &input);
            Ok(input.map(|v| v * 2.0))
        }
        fn recognize(&self, input: NdTensor<f32, 4>) -> anyhow::Result<NdTensor<f32, 3>> {
            self.log("recognize", &input);
            let [n, _, _, w] = input.shape();
            Ok(NdTensor::from_fn([w / 8, n, 3], |[t, b, k]| if k == 0 { block_mean(&input, b, t * 8, t * 8 + 8) } else { k as f32 }))
        }
        fn classify(&self, input: NdTensor<f32, 4>) -> anyhow::Result<NdTensor<f32, 2>> {
            self.log("classify", &input);
            let n = input.size(0);
            Ok(NdTensor::from_fn([n, 2], |[b, k]| block_mean(&input, b, 0, 8) + k as f32))
        }
    }

    struct Shared(Arc<Echo>);
    impl Nets for Shared {
        fn detect(&self, input: NdTensor<f32, 4>) -> anyhow::Result<NdTensor<f32, 4>> {
            self.0.detect(input)
        }
        fn recognize(&self, input: NdTensor<f32, 4>) -> anyhow::Result<NdTensor<f32, 3>> {
            self.0.recognize(input)
        }
        fn classify(&self, input: NdTensor<f32, 4>) -> anyhow::Result<NdTensor<f32, 2>> {
            self.0.classify(input)
        }
        fn detect_batch_limit(&self) -> Option<usize> {
            self.0.page_limit
        }
    }

    /// `n` crops of `w` columns, crop `i` filled with `seed + i`.
    fn crops(n: usize, w: usize, seed: f32) -> NdTensor<f32, 4> {
        NdTensor::from_fn([n, 1, 48, w], |[b, _, _, _]| seed + b as f32)
    }

    /// Runs `f(i)` on `k` threads at once, after a first call that keeps the
    /// worker busy so the `k` queue together.
    fn together<T: Send>(nets: &Batched, k: usize, f: impl Fn(&Batched, usize) -> T + Sync) -> Vec<T> {
        let start = Barrier::new(k + 1);
        std::thread::scope(|s| {
            let blocker = s.spawn(|| nets.classify(crops(1, 192, 0.0)).unwrap());
            std::thread::sleep(std::time::Duration::from_millis(50));
            let handles: Vec<_> = (0..k)
                .map(|i| {
                    let (start, f) = (&start, &f);
                    s.spawn(move || {
                        start.wait();
                        f(nets, i)
                    })
                })
                .collect();
            start.wait();
            let out = handles.into_iter().map(|h| h.join().unwrap()).collect();
            blocker.join().unwrap();
            out
        })
    }

    #[test]
    fn crops_of_several_pages_queued_together_go_through_recognition_in_one_call_and_each_page_gets_its_own_back() {
        let echo = Arc::new(Echo::default());
        let nets = Batched::new(Box::new(Shared(echo.clone())), BatchParams::default());
        // Four pages, their crops of different widths and counts.
        let asked = [(3, 160), (2, 112), (5, 200), (1, 128)];
        let outs = together(&nets, 4, |n, i| n.recognize(crops(asked[i].0, asked[i].1, 10.0 * i as f32)).unwrap());
        for (i, out) in outs.iter().enumerate() {
            let (n, w) = asked[i];
            assert_eq!(out.shape(), [w / 8, n, 3], "page {i} gets the frames of its own width");
            for b in 0..n {
                assert_eq!(out[[0, b, 0]], 10.0 * i as f32 + b as f32, "page {i} crop {b} is its own");
                assert_eq!(out[[w / 8 - 1, b, 0]], 10.0 * i as f32 + b as f32, "its last frame is not padding");
            }
        }
        let calls = echo.calls.lock().unwrap().clone();
        assert_eq!(calls[1..], [("recognize", [11, 1, 48, 200])], "one call after the blocker: {calls:?}");
    }

    #[test]
    fn crops_too_different_in_width_or_too_many_are_not_merged() {
        let echo = Arc::new(Echo::default());
        let nets = Batched::new(Box::new(Shared(echo.clone())), BatchParams { max_crops: 4, ..BatchParams::default() });
        let asked = [(2, 64), (2, 96), (2, 120), (1, 400)];
        together(&nets, 4, |n, i| n.recognize(crops(asked[i].0, asked[i].1, 0.0)).unwrap());
        let mut calls: Vec<[usize; 4]> = echo.calls.lock().unwrap()[1..].iter().map(|c| c.1).collect();
        calls.sort();
        // 64 and 96 fit (≤ 4 crops, ≤ 2× wide); 120 starts a new batch (6 crops > 4); 400 is > 2× 120.
        assert_eq!(calls, [[1, 1, 48, 400], [2, 1, 48, 120], [4, 1, 48, 96]]);
    }

    #[test]
    fn pages_of_one_size_are_detected_together_and_other_sizes_apart() {
        let echo = Arc::new(Echo::default());
        let nets = Batched::new(Box::new(Shared(echo.clone())), BatchParams::default());
        let sizes = [(640, 480), (640, 480), (320, 480)];
        let outs = together(&nets, 3, |n, i| {
            let (h, w) = sizes[i];
            n.detect(NdTensor::from_fn([1, 1, h, w], |[_, _, y, _]| (i * 1000 + y) as f32)).unwrap()
        });
        for (i, out) in outs.iter().enumerate() {
            assert_eq!(out.shape(), [1, 1, sizes[i].0, sizes[i].1]);
            assert_eq!(out[[0, 0, 5, 0]], 2.0 * (i * 1000 + 5) as f32, "page {i} gets its own map");
        }
        let mut calls: Vec<[usize; 4]> = echo.calls.lock().unwrap()[1..].iter().map(|c| c.1).collect();
        calls.sort();
        assert_eq!(calls, [[1, 1, 320, 480], [2, 1, 640, 480]]);
    }

    #[test]
    fn a_network_that_takes_one_page_a_call_gets_pages_of_one_size_one_by_one() {
        let echo = Arc::new(Echo { page_limit: Some(1), ..Echo::default() });
        let nets = Batched::new(Box::new(Shared(echo.clone())), BatchParams::default());
        let outs = together(&nets, 3, |n, i| n.detect(NdTensor::from_fn([1, 1, 64, 64], |_| i as f32)).unwrap());
        for (i, out) in outs.iter().enumerate() {
            assert_eq!(out[[0, 0, 0, 0]], 2.0 * i as f32, "page {i} gets its own map");
        }
        let calls: Vec<[usize; 4]> = echo.calls.lock().unwrap()[1..].iter().map(|c| c.1).collect();
        assert_eq!(calls, [[1, 1, 64, 64]; 3]);
    }

    #[test]
    fn a_failing_batch_fails_each_of_its_callers_with_the_reason_and_the_next_call_works() {
        struct FailOnce(AtomicUsize);
        impl Nets for FailOnce {
            fn detect(&self, input: NdTensor<f32, 4>) -> anyhow::Result<NdTensor<f32, 4>> {
                Ok(input)
            }
            fn recognize(&self, _: NdTensor<f32, 4>) -> anyhow::Result<NdTensor<f32, 3>> {
                match self.0.fetch_add(1, Ordering::SeqCst) {
                    0 => Err(anyhow!("out of GPU memory")),
                    _ => Ok(NdTensor::zeros([1, 1, 3])),
                }
            }
            fn classify(&self, _: NdTensor<f32, 4>) -> anyhow::Result<NdTensor<f32, 2>> {
                Ok(NdTensor::zeros([1, 2]))
            }
        }
        let nets = Batched::new(Box::new(FailOnce(AtomicUsize::new(0))), BatchParams::default());
        let e = nets.recognize(crops(1, 8, 0.0)).unwrap_err();
        assert!(e.to_string().contains("out of GPU memory"), "{e}");
        assert_eq!(nets.recognize(crops(1, 8, 0.0)).unwrap().shape(), [1, 1, 3]);
    }

    #[test]
    fn the_classifier_takes_crops_of_all_callers_in_one_call() {
        let echo = Arc::new(Echo::default());
        let nets = Batched::new(Box::new(Shared(echo.clone())), BatchParams::default());
        let outs = together(&nets, 3, |n, i| n.classify(crops(i + 1, 192, 10.0 * i as f32)).unwrap());
        for (i, out) in outs.iter().enumerate() {
            assert_eq!(out.shape(), [i + 1, 2]);
            assert_eq!(out[[i, 1]], 10.0 * i as f32 + i as f32 + 1.0);
        }
        let calls = echo.calls.lock().unwrap().clone();
        assert_eq!(calls[1..], [("classify", [6, 1, 48, 192])]);
    }
}
