#pragma once
// A layout that places its items left to right and wraps onto a new row when the width runs
// out (after Qt's flow layout example). Used where a row of controls would otherwise be
// squeezed below the width of its texts in a narrow window: the row wraps instead of
// clipping "Add to batch" to "Add to batc".

#include <QLayout>
#include <QList>
#include <QStyle>

namespace rpcbench {

class FlowLayout : public QLayout
{
public:
    explicit FlowLayout(QWidget* parent = nullptr, int hSpacing = -1, int vSpacing = -1);
    ~FlowLayout() override;

    void addItem(QLayoutItem* item) override;
    int horizontalSpacing() const;
    int verticalSpacing() const;
    Qt::Orientations expandingDirections() const override;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    int count() const override { return int(m_items.size()); }
    QLayoutItem* itemAt(int index) const override { return m_items.value(index); }
    QSize minimumSize() const override;
    void setGeometry(const QRect& rect) override;
    QSize sizeHint() const override;
    QLayoutItem* takeAt(int index) override;

private:
    int doLayout(const QRect& rect, bool testOnly) const;
    int smartSpacing(QStyle::PixelMetric pm) const;

    QList<QLayoutItem*> m_items;
    int m_hSpace;
    int m_vSpace;
    // The height the rows take at the current width. Layouts above (and QSplitter) ask only
    // minimumSize(), never heightForWidth(), so wrapped rows are reported through it.
    int m_wrappedHeight = 0;
};

} // namespace rpcbench
