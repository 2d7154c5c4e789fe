"""Review tooling for committed outputs: `summarise validate`, `diff` and `show` (issue 5).

The modules here read output files written under the v1 output contract
(docs/reviewing.md, ../shared/design/output-contract.md); they never call a model.
"""
