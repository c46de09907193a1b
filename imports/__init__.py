"""The client import, in three layers (the contracts in pyproject.toml keep them apart):

- the engine, which knows nothing of requests, forms or templates: `reading` (file -> header and
  rows), `matching` and `presets` (headers -> a `mapping`), `extraction` with `cleaning` (a row ->
  clean account and people data, problems as data), `members`, `planning` with `existing` (clean
  rows -> creates, updates and skips against what exists), `writing` (the only writer), and
  `pipeline`, which runs them batch by batch (`parallel`, `compact`, `bulk` and `profiling` serve it);
- the job's lifecycle: `jobs` (create, detect, map, check, start, run, cancel, resume), `tasks`
  (the background worker's entry points), `notifications`, `report` and `exporting`;
- the web: `views`, `forms`, `review` (what the wizard's pages show), `templatetags`, `urls`.

The rules that decide the data are in docs/import-rules.md.
"""
