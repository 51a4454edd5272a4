"""What the charts show, computed once for every place that draws them.

`app.charts.data` turns a report (its units, the previous period, the stored periods) into
`Chart` values — categories, series, a target line, and for every missing bar the reason
("chưa báo cáo", "không tính được"). The Excel annex (`app.export.annex_charts`), the Word
figures (`app.export.figures`) and the window (`ui.chart_page`) only draw them.
"""
