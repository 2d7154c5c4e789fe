"""Printing the eval: a rich table on the terminal, or Markdown pipe tables for a PR comment."""

from __future__ import annotations

from typing import Any

from summarise_agent.eval.report import ConfigurationResult, article_table, compare_table


def markdown(results: list[ConfigurationResult], report: dict[str, Any]) -> str:
    lines = [f"## summarise eval: {', '.join(report['schemas'])}", ""]
    if len(results) > 1:
        header, rows = compare_table(results)
        lines += [*_pipe_table(header, rows), ""]
    for result in results:
        lines += [f"### {_title(result)}", "", *_pipe_table(*article_table(result)), ""]
    lines += _floor_lines(report)
    return "\n".join(lines).rstrip() + "\n"


def terminal(results: list[ConfigurationResult], report: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(soft_wrap=False)
    for result in results:
        console.print(_rich_table(Table, _title(result), *article_table(result, detailed=False)))
    header, rows = compare_table(results)
    console.print(_rich_table(Table, "", header, rows))
    for line in _floor_lines(report):
        console.print(line, markup=False)


def _title(result: ConfigurationResult) -> str:
    described = result.configuration.describe()
    details = [f"{key}={value}" for key, value in described["settings"].items()]
    if described["outputs"]:
        details.append(f"outputs={described['outputs']}")
    return f"{described['name']}" + (f" ({', '.join(details)})" if details else "")


def _floor_lines(report: dict[str, Any]) -> list[str]:
    if report["min_f1"] is None:
        return []
    if not report["below_min_f1"]:
        return [f"Every overall F1 is at least {report['min_f1']}."]
    return [f"Below --min-f1 {report['min_f1']}: {'; '.join(report['below_min_f1'])}"]


def _pipe_table(header: list[str], rows: list[list[str]]) -> list[str]:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    return [line(header), "| " + " | ".join("---" for _ in header) + " |", *map(line, rows)]


def _rich_table(table_type: Any, title: str, header: list[str], rows: list[list[str]]) -> Any:
    table = table_type(title=title, title_justify="left")
    for index, name in enumerate(header):
        table.add_column(name, justify="left" if index == 0 else "right", overflow="fold")
    for row in rows:
        table.add_row(*row)
    return table
