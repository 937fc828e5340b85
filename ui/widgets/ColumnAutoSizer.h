#pragma once
// Keeps a table's columns as wide as their content, cheaply enough for the 100,000-row log.
//
// QHeaderView::ResizeToContents measures every row on every change; this measures a sample
// instead: the rows in the viewport, the tail of each inserted range and (after a reset) the
// first rows. Sections only grow, up to a cap, so a burst of traffic never makes the columns
// jump back and forth. Changes are handled at once and then at most once per interval (a
// burst of flushes costs one measurement per interval); showing the view or making it taller
// measures at once. Stretched sections are left to the header; a section the user resized by
// hand is left to the user. Create it after the view's model and initial widths are set.

#include <QObject>
#include <QSet>
#include <QTimer>

class QTableView;

namespace rpcbench {

class ColumnAutoSizer : public QObject
{
    Q_OBJECT
public:
    // Sizes `view`'s columns for its current and any later model; a child of the view.
    explicit ColumnAutoSizer(QTableView* view);

    void setMaximumSectionWidth(int px) { m_maxWidth = px; }
    int maximumSectionWidth() const { return m_maxWidth; }
    void setInterval(int ms) { m_cooldown.setInterval(ms); }
    // Measures the sample now, whatever the interval (tests, first show).
    void resizeNow();
    // How many cells the last measurement asked the view for (bounded whatever the row count).
    int lastMeasuredCells() const { return m_lastMeasured; }
    int measurementCount() const { return m_measurements; }
    bool isCoolingDown() const { return m_cooldown.isActive(); } // changes now wait for the interval

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void watchModel();
    void request();
    void onCooldown();
    // Rows sampled besides the visible ones; what is kept between measurements.
    void addSample(int first, int last);
    bool isStretched(int column) const;
    // Grows the sections to the sample; false when the view is hidden (nothing measured).
    bool measure();
    int widest(int column, const QList<std::pair<int, int>>& ranges);

    QTableView* m_view;
    // Kept apart: events reach the filter while the view is being destroyed, when calling
    // m_view->viewport() would be a call on a half-destroyed object.
    QWidget* m_viewport;
    QTimer m_cooldown;
    bool m_dirty = false;
    bool m_resizing = false;
    int m_maxWidth;
    int m_lastMeasured = 0;
    int m_measurements = 0;
    QList<std::pair<int, int>> m_samples; // row ranges [first, last], a few at most
    QSet<int> m_userSized;                // logical sections the user resized by hand
};

// The height that shows the header, `rows` whole rows (of the default row height), the frame
// and a horizontal scroll bar: a table's minimum height, so a small dock keeps rows to read.
int tableHeightForRows(const QTableView* view, int rows);

} // namespace rpcbench
