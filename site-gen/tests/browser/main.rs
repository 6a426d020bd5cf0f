//! End to end in real browsers — Chromium, Firefox and WebKit — through the demos' DOM contract
//! (`data-demo`, `data-status`, `data-mode`, `data-ms`, `data-result`, `data-workers`,
//! `?autorun`): books built and served by the real `site-gen serve`, one browser at a time, each
//! engine's session kept for the run (see the `harness` crate). Every test runs in every engine
//! (`chromium::…`, `firefox::…`, `webkit::…`) unless it says why not; `LAB_BROWSERS=webkit` picks
//! engines while working on one. Screenshots go to `target/e2e/<engine>/`.
//!
//! Needs the browsers and drivers (`make setup-test`) and the demo runtime (`make demos`).

mod book;
mod claims;
mod cpython;
mod demos;
mod ipc;
mod lifecycle;
mod page;
mod phones;
mod predict;
mod reading;
mod reload;
mod replay;
mod scale;
mod search;
mod share;
mod sites;
mod stress;
mod sweep;
mod twin;
mod workload;

/// One `#[test]` per engine for each test function: `chromium::name`, `firefox::name`, `webkit::name`.
macro_rules! in_engines {
    ($engine:ident: $($(#[$attribute:meta])* $test:path => $name:ident),* $(,)?) => {
        $(
            #[test]
            $(#[$attribute])*
            fn $name() {
                harness::browser::run(harness::Engine::$engine, $test)
            }
        )*
    };
}

/// The tests every engine runs.
macro_rules! in_every_engine {
    ($($(#[$attribute:meta])* $test:path => $name:ident),* $(,)?) => {
        mod chromium { in_engines!(Chromium: $($(#[$attribute])* $test => $name),*); }
        mod firefox { in_engines!(Firefox: $($(#[$attribute])* $test => $name),*); }
        mod webkit { in_engines!(WebKit: $($(#[$attribute])* $test => $name),*); }
    };
}

in_every_engine! {
    crate::demos::every_demo_runs_and_agrees => demos_run_and_agree,
    crate::demos::the_controls_work => demo_controls,
    crate::demos::without_isolation_every_other_mode_runs => demos_without_isolation,
    crate::scale::async_scale_and_hybrid_run => async_scale_and_hybrid,
    crate::ipc::ipc_cost_and_responsiveness_run => ipc_cost_and_responsiveness,
    crate::book::every_page_runs_isolated => book_pages_isolated,
    crate::claims::claims_in_the_text => claims_in_the_text,
    crate::book::every_page_runs_without_isolation => book_pages_without_isolation,
    crate::lifecycle::five_runs_of_every_demo_stay_within_the_budget => workers_within_budget,
    crate::lifecycle::a_worker_that_never_loads_times_out => worker_load_time_limit,
    crate::lifecycle::stop_while_the_workers_start => stop_while_workers_start,
    crate::phones::every_demo_fits_a_phone => demos_on_a_phone,
    crate::predict::predict_then_run => predict_then_run,
    crate::reading::reading_features => reading_features,
    crate::reload::an_open_page_follows_edits_and_shows_problems => live_reload,
    crate::search::search_box_finds_sections_in_any_script_and_keeps_html_as_text => search_box,
    crate::share::share_a_run => share_a_run,
    crate::replay::replay_a_run => replay_a_run,
    crate::cpython::compare_with_cpython => compare_with_cpython,
    crate::sweep::sweep_of_workers => sweep_of_workers,
    crate::twin::every_demo_shows_its_python_twin_with_the_command_for_its_parameters => python_twins,
    crate::workload::every_workload_runs_in_every_mode => workload_blocks,
    #[ignore = "minutes per engine: `make stress` runs it"]
    crate::stress::every_demo_at_its_largest_parameters => stress_every_demo_at_its_limits,
}

/// The size benchmark of the search index (`make bench BENCH=search`): not a check of the pages.
#[test]
#[ignore = "a benchmark: builds a 5,000-page book (run with --ignored --nocapture)"]
fn first_query_on_a_5000_page_book() {
    harness::browser::run(harness::Engine::Chromium, crate::search::first_query_on_a_5000_page_book)
}

/// Tests that need what only some engines have.
mod only {
    // WebKit's service worker isolates the page but WebKit shares no memory all the same: the
    // service worker has nothing to give there.
    mod chromium {
        in_engines!(Chromium:
            crate::book::every_page_runs_under_the_service_worker => book_pages_under_the_service_worker,
            // Running a script before the page's own takes DevTools.
            crate::lifecycle::a_worker_that_cannot_start_is_reported => worker_that_cannot_start,
        );
    }
    mod firefox {
        in_engines!(Firefox: crate::book::every_page_runs_under_the_service_worker => book_pages_under_the_service_worker);
    }
}
