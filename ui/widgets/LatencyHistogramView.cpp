#include "widgets/LatencyHistogramView.h"

#include "util/JsonText.h"
#include "widgets/Palette.h"

#include <QHelpEvent>
#include <QLocale>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace rpcbench {

namespace {

constexpr qreal kMargin = 4;
constexpr qreal kTickLength = 3;
constexpr qreal kMinBarWidth = 5; // narrower buckets are merged (2, 4 or 8 to a bar)

// The underflow bucket starts at 0, which a log axis cannot show: draw it from half its top.
// The overflow bucket has no top: draw it one power of two wide.
double shownLower(quint64 lowerNs, quint64 upperNs)
{
    return lowerNs > 0 ? double(lowerNs) : double(upperNs) / 2;
}

double shownUpper(quint64 lowerNs, quint64 upperNs)
{
    return lowerNs >= LatencyBuckets::lowerBound(LatencyBuckets::OverflowBucket) ? 2.0 * double(lowerNs)
                                                                                 : double(upperNs);
}

// "100 ns", "1 µs", "10 µs", … "100 s" for 10^exponent nanoseconds.
QString decadeLabel(int exponent)
{
    static const char* const units[] = {"ns", "µs", "ms", "s"};
    const int unit = std::clamp(exponent / 3, 0, 3);
    const qint64 value = qint64(std::llround(std::pow(10.0, exponent - 3 * unit)));
    return QStringLiteral("%1 %2").arg(value).arg(QString::fromUtf8(units[unit]));
}

// The bar's first bucket when `group` buckets make one bar; the under/overflow buckets stay alone.
int groupStart(int index, int group)
{
    if (index == LatencyBuckets::UnderflowBucket || index == LatencyBuckets::OverflowBucket)
        return index;
    return 1 + (index - 1) / group * group;
}

} // namespace

LatencyHistogramView::LatencyHistogramView(QWidget* parent) : QWidget(parent), m_emptyText(tr("no calls yet"))
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void LatencyHistogramView::setSnapshot(const LatencyBuckets::Snapshot& snapshot)
{
    m_snapshot = snapshot;
    m_layoutValid = false;
    update();
}

void LatencyHistogramView::setEmptyText(const QString& text)
{
    m_emptyText = text;
    if (isEmpty())
        update();
}

void LatencyHistogramView::clear()
{
    setSnapshot({});
}

QFont LatencyHistogramView::smallFont() const
{
    QFont f = font();
    if (f.pointSizeF() > 0)
        f.setPointSizeF(f.pointSizeF() * 0.9);
    return f;
}

QSize LatencyHistogramView::sizeHint() const
{
    const QFontMetrics fm(smallFont());
    return {fm.horizontalAdvance(QLatin1Char('0')) * 40, fm.height() * 7};
}

QSize LatencyHistogramView::minimumSizeHint() const
{
    const QFontMetrics fm(smallFont());
    return {fm.horizontalAdvance(QStringLiteral("100 µs")) * 3, fm.height() * 4 + int(2 * kMargin)};
}

const std::vector<LatencyHistogramView::Bar>& LatencyHistogramView::bars() const
{
    ensureLayout();
    return m_bars;
}

const std::vector<LatencyHistogramView::Tick>& LatencyHistogramView::ticks() const
{
    ensureLayout();
    return m_ticks;
}

QRectF LatencyHistogramView::plotRect() const
{
    ensureLayout();
    return m_plot;
}

void LatencyHistogramView::ensureLayout() const
{
    if (m_layoutValid && m_layoutSize == size())
        return;
    m_layoutValid = true; // first: relayout() uses xForNs(), which comes back here
    m_layoutSize = size();
    relayout();
}

qreal LatencyHistogramView::xForNs(double ns) const
{
    ensureLayout();
    if (ns <= 0)
        return m_plot.left();
    const double t = std::clamp((std::log10(ns) - m_logLow) / (m_logHigh - m_logLow), 0.0, 1.0);
    return m_plot.left() + t * m_plot.width();
}

qreal LatencyHistogramView::markerX(double percent) const
{
    const qint64 ns = m_snapshot.percentile(percent);
    return ns < 0 ? -1 : xForNs(double(ns));
}

int LatencyHistogramView::barAt(qreal x) const
{
    ensureLayout();
    for (size_t i = 0; i < m_bars.size(); ++i) {
        const QRectF& r = m_bars[i].rect;
        if (x >= r.left() && x < r.right() + 1) // the 1 px gap after a bar belongs to it
            return int(i);
    }
    return -1;
}

void LatencyHistogramView::relayout() const
{
    m_bars.clear();
    m_ticks.clear();
    const QFontMetricsF fm(smallFont());
    const qreal line = fm.height();
    // Top to bottom: the marker labels, the bars, the tick marks and their labels.
    m_plot = QRectF(rect()).adjusted(kMargin, kMargin + line, -kMargin, -(kMargin + line + kTickLength));
    if (m_snapshot.isEmpty() || m_plot.width() < 8 || m_plot.height() < 4)
        return;

    const auto buckets = m_snapshot.buckets();
    const double low = shownLower(buckets.front().lowerNs, buckets.front().upperNs);
    const double high = shownUpper(buckets.back().lowerNs, buckets.back().upperNs);
    m_logLow = std::floor(std::log10(low));
    m_logHigh = std::max(std::ceil(std::log10(high)), m_logLow + 1);

    // Buckets are ~1/8 of a power of two wide; merge them when that is too thin to see.
    const double bucketsPerDecade = std::log2(10.0) * LatencyBuckets::SubBuckets;
    const double bucketWidth = m_plot.width() / ((m_logHigh - m_logLow) * bucketsPerDecade);
    int group = 1;
    while (group < LatencyBuckets::SubBuckets && bucketWidth * group < kMinBarWidth)
        group *= 2;

    for (const auto& b : buckets) {
        if (b.count == 0)
            continue;
        const int start = groupStart(b.index, group);
        if (!m_bars.empty() && LatencyBuckets::lowerBound(start) == m_bars.back().lowerNs) {
            m_bars.back().count += b.count;
            continue;
        }
        const int end = (start == LatencyBuckets::UnderflowBucket || start == LatencyBuckets::OverflowBucket)
                            ? start
                            : std::min(start + group - 1, LatencyBuckets::OverflowBucket - 1);
        m_bars.push_back({LatencyBuckets::lowerBound(start), LatencyBuckets::upperBound(end), b.count, {}});
    }

    quint64 tallest = 0;
    for (const Bar& bar : m_bars)
        tallest = std::max(tallest, bar.count);
    for (Bar& bar : m_bars) {
        const qreal x0 = xForNs(shownLower(bar.lowerNs, bar.upperNs));
        qreal x1 = xForNs(shownUpper(bar.lowerNs, bar.upperNs));
        if (x1 - x0 > 3)
            x1 -= 1; // a gap between neighbours
        // At least a pixel: a single slow call among thousands must still show.
        const qreal h = std::max<qreal>(1, m_plot.height() * double(bar.count) / double(tallest));
        bar.rect = QRectF(x0, m_plot.bottom() - h, std::max<qreal>(1, x1 - x0), h);
    }

    // A label every decade, or every second or third when they would touch.
    const double decadeWidth = m_plot.width() / (m_logHigh - m_logLow);
    const qreal labelWidth = fm.horizontalAdvance(QStringLiteral("100 ms")) + fm.averageCharWidth() * 2;
    const int step = std::max(1, int(std::ceil(labelWidth / decadeWidth)));
    for (int d = int(m_logLow); d <= int(m_logHigh); ++d)
        m_ticks.push_back(
            {xForNs(std::pow(10.0, d)), (d - int(m_logLow)) % step == 0 ? decadeLabel(d) : QString()});
}

QString LatencyHistogramView::summary() const
{
    if (m_snapshot.isEmpty())
        return m_emptyText;
    const QLocale locale;
    return tr("%1 answered calls · p50 %2 · p99 %3 · slowest under %4")
        .arg(locale.toString(m_snapshot.count()), JsonText::formatLatencyNs(p50Ns()),
             JsonText::formatLatencyNs(p99Ns()), JsonText::formatLatencyNs(m_snapshot.maxNs()));
}

QString LatencyHistogramView::barToolTip(int index) const
{
    ensureLayout();
    if (index < 0 || index >= int(m_bars.size()))
        return {};
    const Bar& bar = m_bars[size_t(index)];
    const QLocale locale;
    QString range;
    if (bar.lowerNs == 0)
        range = tr("under %1").arg(JsonText::formatLatencyNs(qint64(bar.upperNs)));
    else if (bar.lowerNs >= LatencyBuckets::lowerBound(LatencyBuckets::OverflowBucket))
        range = tr("%1 or more").arg(JsonText::formatLatencyNs(qint64(bar.lowerNs)));
    else
        range = tr("%1 to %2")
                    .arg(JsonText::formatLatencyNs(qint64(bar.lowerNs)),
                         JsonText::formatLatencyNs(qint64(bar.upperNs)));
    const double share = 100.0 * double(bar.count) / double(std::max<quint64>(1, m_snapshot.count()));
    const QString calls = bar.count == 1 ? tr("1 call") : tr("%1 calls").arg(locale.toString(bar.count));
    return tr("%1: %2 (%3 %)").arg(range, calls, locale.toString(share, 'f', 1));
}

bool LatencyHistogramView::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto* help = static_cast<QHelpEvent*>(event);
        ensureLayout();
        const int bar =
            help->pos().y() >= m_plot.top() - fontMetrics().height() ? barAt(help->pos().x()) : -1;
        const QString tip = bar >= 0 ? barToolTip(bar) : summary();
        if (tip.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), tip, this);
        return true;
    }
    return QWidget::event(event);
}

void LatencyHistogramView::paintEvent(QPaintEvent*)
{
    ensureLayout();
    QPainter p(this);
    p.setFont(smallFont());
    const QFontMetricsF fm(p.font());
    if (m_bars.empty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, m_emptyText);
        return;
    }

    // Decade grid lines, tick marks and labels (kept inside the widget at both ends).
    QColor grid = palette().color(QPalette::WindowText);
    grid.setAlpha(40);
    const QColor axis = palette().color(QPalette::Mid);
    for (const Tick& tick : m_ticks) {
        p.setPen(grid);
        p.drawLine(QPointF(tick.x, m_plot.top()), QPointF(tick.x, m_plot.bottom()));
        p.setPen(axis);
        p.drawLine(QPointF(tick.x, m_plot.bottom()), QPointF(tick.x, m_plot.bottom() + kTickLength));
        if (tick.label.isEmpty())
            continue;
        const qreal w = fm.horizontalAdvance(tick.label);
        const qreal left = std::max<qreal>(0, std::min(tick.x - w / 2, qreal(width()) - w));
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(QRectF(left, m_plot.bottom() + kTickLength, w, fm.height()), Qt::AlignCenter, tick.label);
    }

    p.fillRect(QRectF(m_plot.left(), m_plot.bottom(), m_plot.width(), 1), axis);
    const QColor barColor = palette().color(QPalette::Highlight);
    for (const Bar& bar : m_bars)
        p.fillRect(bar.rect, barColor);

    // Markers: p50 in the text colour, labelled to its left; p99 in the error colour, to its
    // right (either flips side when it would leave the widget).
    const auto marker = [&](double percent, const QColor& color, bool labelLeft) {
        const qreal x = std::round(markerX(percent)) + 0.5;
        p.setPen(QPen(color, 1, Qt::DashLine));
        p.drawLine(QPointF(x, m_plot.top() - fm.height() + 2), QPointF(x, m_plot.bottom()));
        const QString text = QStringLiteral("p%1 %2").arg(percent).arg(
            JsonText::formatLatencyNs(m_snapshot.percentile(percent)));
        const qreal w = fm.horizontalAdvance(text);
        if (labelLeft && x - 3 - w < 0)
            labelLeft = false;
        else if (!labelLeft && x + 3 + w > width())
            labelLeft = true;
        const qreal left = std::max<qreal>(0, labelLeft ? x - 3 - w : x + 3);
        p.setPen(color);
        p.drawText(QRectF(left, kMargin, w, fm.height()), Qt::AlignVCenter, text);
    };
    marker(50, palette().color(QPalette::WindowText), true);
    marker(99, Palette::errorColor(), false);
}

} // namespace rpcbench
