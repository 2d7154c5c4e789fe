"""`summarise eval`: score extractions against gold records (docs/evaluation.md).

gold.py finds the gold set, names.py and match.py pair gold and predicted items, scores.py
counts and averages, execute.py gets the predictions (pipeline or existing outputs),
configs.py reads the configurations of `--compare`, report.py renders the results.
"""
