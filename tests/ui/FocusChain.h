#pragma once
// Walks the Tab order the way a user does (header-only, tests/ui only): presses Tab from a
// widget until focus comes back to it, recording every widget that got focus.

#include <QApplication>
#include <QTest>
#include <QWidget>

namespace uitest {

struct FocusWalk
{
    QList<QWidget*> chain; // in the order Tab reached them, `start` first
    bool stuck = false;    // a widget kept the focus (took the Tab key itself)
};

inline FocusWalk walkTabChain(QWidget* start, int limit = 200)
{
    FocusWalk walk;
    start->setFocus(Qt::TabFocusReason);
    QWidget* first = QApplication::focusWidget();
    if (!first)
        return walk;
    walk.chain << first;
    for (int i = 0; i < limit; ++i) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QWidget* next = QApplication::focusWidget();
        if (!next || next == first)
            break;
        if (next == walk.chain.back()) {
            walk.stuck = true;
            break;
        }
        walk.chain << next;
    }
    return walk;
}

// Where `widget` (or a child of it, or the widget it forwards focus to) is in the chain; -1 if
// it never got focus.
inline qsizetype positionIn(const QList<QWidget*>& chain, const QWidget* widget)
{
    for (qsizetype i = 0; i < chain.size(); ++i) {
        const QWidget* w = chain[i];
        if (w == widget || widget->isAncestorOf(w) || w->focusProxy() == widget || widget->focusProxy() == w)
            return i;
    }
    return -1;
}

inline QString describe(const QWidget* w)
{
    return QString::fromLatin1(w->metaObject()->className()) + QLatin1Char('/') + w->objectName();
}

inline QString describe(const QList<QWidget*>& chain)
{
    QStringList names;
    for (const QWidget* w : chain)
        names << describe(w);
    return names.join(QStringLiteral(" → "));
}

// Empty when every stop is a visible widget with room on screen; else the first one that is not.
inline QString invisibleStop(const QList<QWidget*>& chain)
{
    for (const QWidget* w : chain) {
        if (!w->isVisible() || w->visibleRegion().isEmpty() || w->width() <= 1 || w->height() <= 1 ||
            !w->isEnabled())
            return QStringLiteral("%1 %2x%3").arg(describe(w)).arg(w->width()).arg(w->height());
    }
    return {};
}

} // namespace uitest
