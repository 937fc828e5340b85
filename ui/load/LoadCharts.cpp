#include "load/LoadCharts.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QGraphicsLayout>
#include <QHBoxLayout>
#include <QLineSeries>
#include <QTimer>
#include <QValueAxis>

#include <algorithm>

namespace rpcbench {

namespace {

constexpr int kMinSeconds = 10; // the time axis never starts shorter than this

QChart* makeChart(const QString& title)
{
    auto* chart = new QChart;
    chart->setTitle(title);
    chart->setMargins(QMargins(2, 2, 2, 2));
    chart->layout()->setContentsMargins(0, 0, 0, 0);
    chart->setBackgroundRoundness(0);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setAnimationOptions(QChart::NoAnimation); // redraws stay cheap
    return chart;
}

QValueAxis* addAxis(QChart* chart, Qt::Alignment alignment, const QString& title, const QString& format)
{
    auto* axis = new QValueAxis(chart);
    axis->setTitleText(title);
    axis->setLabelFormat(format);
    chart->addAxis(axis, alignment);
    return axis;
}

QLineSeries* addLine(QChart* chart, const QString& name, QValueAxis* x, QValueAxis* y)
{
    auto* series = new QLineSeries(chart);
    series->setName(name);
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
    return series;
}

// A nice upper bound (1, 2, 5 × 10^n) at or above `value`.
double niceTop(double value)
{
    double step = 1;
    while (step * 10 <= value)
        step *= 10;
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (step * m >= value)
            return step * m;
    return step * 10;
}

// Ticks on round values (0, 2, 4 ... or 0, 500, 1000 ...) for an axis from 0 to `top`, a
// 1-2-5 number: the default five ticks would label 0, 1250, 2500 ...
void setNiceRange(QValueAxis* axis, double top)
{
    double decade = 1;
    while (decade * 10 <= top)
        decade *= 10;
    while (decade > top)
        decade /= 10;
    const double lead = top / decade; // 1, 2 or 5 (or 10 for minimum ranges)
    // Fixed ticks while range and interval change: a new range with the old interval (or the
    // reverse) would lay out thousands of ticks for a moment.
    axis->setTickType(QValueAxis::TicksFixed);
    axis->setRange(0, top);
    axis->setTickAnchor(0);
    axis->setTickInterval(top / (lead > 1.5 && lead < 3 ? 4 : 5));
    axis->setTickType(QValueAxis::TicksDynamic);
}

} // namespace

LoadCharts::LoadCharts(QWidget* parent) : QWidget(parent), m_redraw(new QTimer(this))
{
    m_redraw->setSingleShot(true);
    m_redraw->setInterval(kRedrawMs);
    connect(m_redraw, &QTimer::timeout, this, &LoadCharts::redraw);

    QChart* rate = makeChart(tr("Calls per second"));
    m_rateX = addAxis(rate, Qt::AlignBottom, tr("second"), QStringLiteral("%d"));
    m_rateY = addAxis(rate, Qt::AlignLeft, QString(), QStringLiteral("%.0f"));
    m_sent = addLine(rate, tr("sent"), m_rateX, m_rateY);
    m_completed = addLine(rate, tr("completed"), m_rateX, m_rateY);

    QChart* latency = makeChart(tr("Latency per second (ms)"));
    m_latencyX = addAxis(latency, Qt::AlignBottom, tr("second"), QStringLiteral("%d"));
    m_latencyY = addAxis(latency, Qt::AlignLeft, QString(), QStringLiteral("%.3g"));
    m_p50 = addLine(latency, tr("p50"), m_latencyX, m_latencyY);
    m_p99 = addLine(latency, tr("p99"), m_latencyX, m_latencyY);
    m_max = addLine(latency, tr("max"), m_latencyX, m_latencyY);

    m_histogramChart = makeChart(QString());
    m_histogram = new QBarSeries(m_histogramChart);
    m_bars = new QBarSet(tr("calls"), m_histogram);
    m_histogram->append(m_bars);
    m_histogram->setBarWidth(0.9);
    m_histogramChart->addSeries(m_histogram);
    m_binAxis = new QBarCategoryAxis(m_histogramChart);
    m_binAxis->setTitleText(tr("latency from (log-scale ranges)"));
    m_histogramChart->addAxis(m_binAxis, Qt::AlignBottom);
    m_histogram->attachAxis(m_binAxis);
    m_countAxis = addAxis(m_histogramChart, Qt::AlignLeft, QString(), QStringLiteral("%.0f"));
    m_histogram->attachAxis(m_countAxis);
    m_histogramChart->legend()->hide();

    m_rateView = makeView(rate, QStringLiteral("loadRateChart"));
    m_latencyView = makeView(latency, QStringLiteral("loadLatencyChart"));
    m_histogramView = makeView(m_histogramChart, QStringLiteral("loadHistogramChart"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_rateView);
    layout->addWidget(m_latencyView);
    layout->addWidget(m_histogramView);
    clear();
}

QChartView* LoadCharts::makeView(QChart* chart, const QString& name)
{
    auto* view = new QChartView(chart, this); // takes the chart
    view->setObjectName(name);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(180, 150);
    return view;
}

void LoadCharts::clear()
{
    m_redraw->stop();
    m_pending.clear();
    for (QLineSeries* s : {m_sent, m_completed, m_p50, m_p99, m_max})
        s->clear();
    m_rateTop = 0;
    m_latencyTop = 0;
    setNiceRange(m_rateX, kMinSeconds);
    setNiceRange(m_latencyX, kMinSeconds);
    setNiceRange(m_rateY, 10);
    setNiceRange(m_latencyY, 1);
    m_runLatency.reset();
    setHistogram(m_runLatency, false);
}

void LoadCharts::addPoint(const LoadSecond& point)
{
    if (point.latency)
        m_runLatency.merge(*point.latency); // the point is not kept: its samples live on here
    m_pending.append(point);
    m_pending.last().latency.reset();
    if (!m_redraw->isActive())
        m_redraw->start();
}

void LoadCharts::flush()
{
    m_redraw->stop();
    redraw();
}

void LoadCharts::redraw()
{
    if (m_pending.isEmpty())
        return;
    ++m_redraws;
    int lastSecond = 0;
    for (const LoadSecond& p : std::as_const(m_pending)) {
        // Plotted at the middle of their second; the last point may cover part of one only,
        // so its rates are not extrapolated (a partial second shows fewer calls, honestly).
        const double x = p.second + 0.5;
        m_sent->append(x, double(p.sent));
        m_completed->append(x, double(p.completed));
        m_p50->append(x, double(p.p50Us) / 1000.0);
        m_p99->append(x, double(p.p99Us) / 1000.0);
        m_max->append(x, double(p.maxUs) / 1000.0);
        m_rateTop = std::max({m_rateTop, double(p.sent), double(p.completed)});
        m_latencyTop = std::max(m_latencyTop, double(p.maxUs) / 1000.0);
        lastSecond = std::max(lastSecond, p.second + 1);
    }
    m_pending.clear();
    const double seconds = niceTop(std::max(kMinSeconds, lastSecond));
    setNiceRange(m_rateX, seconds);
    setNiceRange(m_latencyX, seconds);
    setNiceRange(m_rateY, niceTop(std::max(10.0, m_rateTop * 1.05)));
    setNiceRange(m_latencyY, niceTop(std::max(0.1, m_latencyTop * 1.05)));
    setHistogram(m_runLatency, false);
}

void LoadCharts::setHistogram(const LatencyHistogram& histogram, bool final)
{
    const QList<LoadReport::HistogramBin> bins = LoadReport::logBins(histogram);
    m_bars->remove(0, m_bars->count());
    m_binAxis->clear();
    if (bins.isEmpty()) {
        m_histogramChart->setTitle(tr("Latency histogram — no calls yet"));
        m_countAxis->setRange(0, 1);
        m_countAxis->setLabelsVisible(false); // no counts yet: no made-up labels either
        return;
    }
    m_histogramChart->setTitle(final ? tr("Latency histogram (whole run: %1 calls)").arg(histogram.count())
                                     : tr("Latency histogram (so far: %1 calls)").arg(histogram.count()));
    QStringList labels;
    QList<qreal> counts;
    quint64 top = 0;
    for (const LoadReport::HistogramBin& bin : bins) {
        labels.append(LoadReport::binLabel(bin.lowUs));
        counts.append(qreal(bin.count));
        top = std::max(top, bin.count);
    }
    m_binAxis->append(labels);
    m_bars->append(counts);
    m_countAxis->setLabelsVisible(true);
    setNiceRange(m_countAxis, niceTop(std::max(5.0, double(top) * 1.05)));
}

} // namespace rpcbench
