#pragma once
// A small painted chart of one latency distribution (a LatencyBuckets snapshot): bars on a
// log-scale latency axis labelled by decade ("10 µs", "1 ms"), heights scaled to the tallest
// bar, p50 and p99 marker lines, and a one-line summary above. Hovering a bar tells its range
// and count. Nothing is drawn per sample: the owner hands a new snapshot when its figures
// change (the server panel does on the methods model's refresh), and the layout is computed
// once per snapshot or resize, so painting only draws rectangles.
//
// The geometry is public (bars(), ticks(), markerX()) so tests check numbers, not pixels.

#include "dispatch/LatencyBuckets.h"

#include <QWidget>

#include <vector>

namespace rpcbench {

class LatencyHistogramView : public QWidget
{
    Q_OBJECT
public:
    struct Bar
    {
        quint64 lowerNs = 0; // inclusive
        quint64 upperNs = 0; // exclusive
        quint64 count = 0;
        QRectF rect; // in widget coordinates; its bottom is the plot's bottom
    };
    struct Tick
    {
        qreal x = 0;
        QString label; // "10 µs"; empty for a decade whose label would crowd its neighbours
    };

    explicit LatencyHistogramView(QWidget* parent = nullptr);

    void setSnapshot(const LatencyBuckets::Snapshot& snapshot);
    // Shows `text` instead of a chart ("no calls yet" by default; the owner may say why).
    void setEmptyText(const QString& text);
    void clear(); // an empty snapshot

    const LatencyBuckets::Snapshot& snapshot() const { return m_snapshot; }
    bool isEmpty() const { return m_snapshot.isEmpty(); }
    QString emptyText() const { return m_emptyText; }
    QString summary() const; // the line above the bars: count, p50, p99
    qint64 p50Ns() const { return m_snapshot.percentile(50); }
    qint64 p99Ns() const { return m_snapshot.percentile(99); }

    // The layout for the current size (empty when there is nothing to draw). Computed on
    // demand, so it is right even for a widget resized while hidden (no resize event yet).
    const std::vector<Bar>& bars() const;
    const std::vector<Tick>& ticks() const;
    QRectF plotRect() const;
    // Horizontal position of a latency on the log axis (clamped to the plot).
    qreal xForNs(double ns) const;
    // The bar under x, or -1.
    int barAt(qreal x) const;
    // Position of the percentile's marker line; -1 when empty.
    qreal markerX(double percent) const;
    QString barToolTip(int bar) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    bool event(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;

private:
    void ensureLayout() const; // relayout() when the size or snapshot changed since the last one
    void relayout() const;
    QFont smallFont() const;

    LatencyBuckets::Snapshot m_snapshot;
    QString m_emptyText;
    // The layout cache, filled by relayout().
    mutable bool m_layoutValid = false;
    mutable QSize m_layoutSize;
    mutable std::vector<Bar> m_bars;
    mutable std::vector<Tick> m_ticks;
    mutable QRectF m_plot;
    mutable double m_logLow = 0;  // log10 of the axis' left end (ns)
    mutable double m_logHigh = 1; // log10 of its right end
};

} // namespace rpcbench
