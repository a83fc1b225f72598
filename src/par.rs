//! CPU-bound work split across threads: the pages of one application,
//! the applications of a generated dataset.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::cell::RefCell;
use std::sync::{Arc, Condvar, Mutex};

/// Cores this process may use: `RAYON_NUM_THREADS` when set (rayon and
/// candle read it too; `bench --threads` sets it), else every core (1 if
/// unknown).
pub fn cores() -> usize {
    std::env::var("RAYON_NUM_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1))
}

/// `f` applied to every item on up to `threads` threads (0: one per core),
/// results in the items' order. Items are handed out one at a time, so a
/// slow item does not hold up a whole share.
pub fn map<T: Sync, R: Send>(items: &[T], threads: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = if threads == 0 { cores() } else { threads }.min(items.len()).max(1);
    let next = AtomicUsize::new(0);
    let out: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    *out[i].lock().unwrap() = Some(f(item));
                }
            });
        }
    });
    out.into_iter().map(|m| m.into_inner().unwrap().expect("every item was processed")).collect()
}

/// At most `n` holders at once across all threads. The pages of several
/// applications are read side by side (workers × pages); each OCR call
/// holds ~150 MB of activations on an A4 page, so more than one reader per
/// core only costs memory.
///
/// Each slot owns a one-thread rten pool, which model runs on the holding
/// thread use ([`model_run_options`]): with every core busy reading its own
/// page, splitting each op between cores only adds hand-offs.
#[derive(Debug)]
pub struct Slots {
    free: Mutex<Vec<usize>>,
    freed: Condvar,
    pools: Vec<Arc<rten::ThreadPool>>,
}

/// A held slot; dropping it frees the slot.
#[derive(Debug)]
pub struct Slot<'a> {
    slots: &'a Slots,
    index: usize,
    outer_pool: Option<Arc<rten::ThreadPool>>,
}

thread_local! {
    /// The rten pool of the slot this thread holds, if any.
    static MODEL_POOL: RefCell<Option<Arc<rten::ThreadPool>>> = const { RefCell::new(None) };
}

/// Options for an rten model run on this thread: the held slot's own pool,
/// or rten's global pool (every core) when no slot is held.
pub fn model_run_options() -> Option<rten::RunOptions> {
    MODEL_POOL.with_borrow(|p| p.clone()).map(|pool| rten::RunOptions::default().with_thread_pool(Some(pool)))
}

impl Slots {
    /// `n` slots (0: one per core).
    pub fn new(n: usize) -> Slots {
        let n = if n == 0 { cores() } else { n };
        Slots {
            free: Mutex::new((0..n).rev().collect()),
            freed: Condvar::new(),
            pools: (0..n).map(|_| Arc::new(rten::ThreadPool::with_num_threads(1))).collect(),
        }
    }

    /// Waits for a free slot.
    pub fn acquire(&self) -> Slot<'_> {
        let mut free = self.free.lock().unwrap();
        let index = loop {
            match free.pop() {
                Some(i) => break i,
                None => free = self.freed.wait(free).unwrap(),
            }
        };
        let outer_pool = MODEL_POOL.replace(Some(self.pools[index].clone()));
        Slot { slots: self, index, outer_pool }
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        MODEL_POOL.set(self.outer_pool.take());
        self.slots.free.lock().unwrap().push(self.index);
        self.slots.freed.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_more_than_n_hold_a_slot_at_once() {
        let slots = Slots::new(2);
        let (inside, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        map(&[0u8; 16], 8, |_| {
            let _slot = slots.acquire();
            let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            std::thread::sleep(std::time::Duration::from_millis(5));
            inside.fetch_sub(1, Ordering::SeqCst);
        });
        assert_eq!(most.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn a_thread_holding_a_slot_runs_models_on_the_slots_own_pool_and_gets_rtens_back_after() {
        let slots = Slots::new(2);
        assert!(model_run_options().is_none(), "no slot: rten's global pool");
        let pool_of = |o: Option<rten::RunOptions>| o.and_then(|o| o.thread_pool).expect("a slot's pool");
        let a = slots.acquire();
        let first = pool_of(model_run_options());
        std::thread::scope(|s| {
            s.spawn(|| {
                let _b = slots.acquire();
                assert!(!Arc::ptr_eq(&first, &pool_of(model_run_options())), "two holders share no pool");
            });
        });
        drop(a);
        assert!(model_run_options().is_none());
        let _again = slots.acquire();
        assert!(model_run_options().is_some());
    }

    #[test]
    fn results_come_back_in_the_order_of_the_items_whatever_the_threads() {
        let items: Vec<u64> = (0..50).collect();
        for threads in [0, 1, 3, 64] {
            assert_eq!(super::map(&items, threads, |x| x * x), items.iter().map(|x| x * x).collect::<Vec<_>>());
        }
        assert!(super::map(&[] as &[u8], 0, |x| *x).is_empty());
    }
}
