#pragma once
// The Load panel's three charts (Qt Charts): calls per second sent vs completed, latency
// p50/p99/max per second (ms), and the whole run's latency histogram in log-scale ranges.
// Points arrive once a second from the generator; they are buffered and drawn at most four
// times a second (kRedrawMs), so a busy run never makes the GUI thread redraw per call.
// The histogram grows live from each second's samples (LoadSecond::latency, merged here), and
// at the end is drawn from the run's own LatencyHistogram (the same samples: the title says
// "so far" or "whole run").

#include "load/LoadReport.h"

#include <QWidget>

class QBarCategoryAxis;
class QBarSeries;
class QBarSet;
class QChart;
class QChartView;
class QLineSeries;
class QTimer;
class QValueAxis;

namespace rpcbench {

class LoadCharts : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kRedrawMs = 250;

    explicit LoadCharts(QWidget* parent = nullptr);

    void clear();                           // a new run: every series emptied
    void addPoint(const LoadSecond& point); // drawn at the next redraw
    // `final`: the whole run's (the title says so), else the samples so far.
    void setHistogram(const LatencyHistogram& histogram, bool final);
    const LatencyHistogram& runLatency() const { return m_runLatency; } // merged from the points
    void flush(); // draws what is buffered now (the end of a run)

    QLineSeries* sentSeries() const { return m_sent; }
    QLineSeries* completedSeries() const { return m_completed; }
    QLineSeries* p50Series() const { return m_p50; }
    QLineSeries* p99Series() const { return m_p99; }
    QLineSeries* maxSeries() const { return m_max; }
    QBarSet* histogramSet() const { return m_bars; }
    QBarCategoryAxis* histogramAxis() const { return m_binAxis; }
    QChartView* rateView() const { return m_rateView; }
    QChartView* latencyView() const { return m_latencyView; }
    QChartView* histogramView() const { return m_histogramView; }
    int redraws() const { return m_redraws; } // for tests: the throttle holds

private:
    QChartView* makeView(QChart* chart, const QString& name);
    void redraw();

    QTimer* m_redraw;
    QList<LoadSecond> m_pending;
    LatencyHistogram m_runLatency; // every point's samples so far (the live histogram)
    double m_rateTop = 0;
    double m_latencyTop = 0;
    int m_redraws = 0;

    QLineSeries* m_sent;
    QLineSeries* m_completed;
    QValueAxis* m_rateX;
    QValueAxis* m_rateY;
    QLineSeries* m_p50;
    QLineSeries* m_p99;
    QLineSeries* m_max;
    QValueAxis* m_latencyX;
    QValueAxis* m_latencyY;
    QChart* m_histogramChart;
    QBarSeries* m_histogram;
    QBarSet* m_bars;
    QBarCategoryAxis* m_binAxis;
    QValueAxis* m_countAxis;
    QChartView* m_rateView;
    QChartView* m_latencyView;
    QChartView* m_histogramView;
};

} // namespace rpcbench
