#include "proxy/InterceptPanel.h"

#include "proxy/InterceptEditor.h"
#include "proxy/InterceptQueueModel.h"
#include "proxy/Proxy.h"
#include "proxy/ProxySet.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <set>

namespace rpcbench {

namespace {

// "timeout 60 s", or "timeouts 0.2–60 s" when the proxies differ.
QString timeoutText(const ProxySet* proxies)
{
    std::set<int> timeouts;
    for (int i = 0; proxies && i < proxies->count(); ++i)
        timeouts.insert(proxies->proxy(i)->intercept()->timeoutMs());
    if (timeouts.empty())
        return InterceptPanel::tr("no proxy");
    const auto seconds = [](int ms) { return QString::number(ms / 1000.0, 'g', 4); };
    if (timeouts.size() == 1)
        return InterceptPanel::tr("timeout %1 s").arg(seconds(*timeouts.begin()));
    return InterceptPanel::tr("timeouts %1\u2013%2 s")
        .arg(seconds(*timeouts.begin()), seconds(*timeouts.rbegin()));
}

} // namespace

InterceptPanel::InterceptPanel(ProxySet* proxies, QWidget* parent)
    : QWidget(parent), m_proxies(proxies), m_model(new InterceptQueueModel(proxies, this)),
      m_summary(new QLabel(this)), m_clearEnded(new QPushButton(tr("Clear &ended"), this)),
      m_view(new QTableView(this)), m_editor(new InterceptEditor(this))
{
    setObjectName(QStringLiteral("interceptPanel"));
    configureView();
    // Short editors still show a few lines: the splitter gives them the rest of the height.
    for (QWidget* edit :
         {static_cast<QWidget*>(m_editor->messageEdit()), static_cast<QWidget*>(m_editor->replyEdit())})
        edit->setMinimumHeight(edit->fontMetrics().height() * 3);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("interceptSplitter"));
    splitter->addWidget(m_view);
    splitter->addWidget(m_editor);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(buildHeader());
    layout->addWidget(splitter, 1);

    connect(m_model, &InterceptQueueModel::waitingCountChanged, this, &InterceptPanel::updateSummary);
    connect(m_model, &InterceptQueueModel::messageHeld, this, &InterceptPanel::selectNewMessage);
    // Header ResizeToContents waits for the next repaint of a cell to notice new rows: fitted
    // here instead when a row comes or ends (the countdown's redraws change no width).
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &InterceptPanel::fitColumns);
    connect(m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& from, const QModelIndex& to) {
                if (from.column() != 0)
                    return; // the countdown: nothing ended
                fitColumns();
                const int row = m_view->currentIndex().row();
                if (row >= from.row() && row <= to.row() && !m_model->row(row).waiting())
                    showSelected(); // it ended while shown: the editor turns read-only and says how
            });
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &InterceptPanel::showSelected);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &InterceptPanel::showSelected);
    connect(m_editor, &InterceptEditor::decisionRequested, this, &InterceptPanel::decide);
    connect(m_clearEnded, &QPushButton::clicked, m_model, &InterceptQueueModel::clearEnded);
    if (m_proxies) // a timeout set in the Proxies panel or a workspace
        connect(m_proxies, &ProxySet::configsChanged, this, &InterceptPanel::updateSummary);

    // Enter decides the selected row the quick way (forward as is), Delete drops it.
    auto* forward = new QShortcut(QKeySequence(Qt::Key_Return), m_view, nullptr, nullptr, Qt::WidgetShortcut);
    auto* forwardKeypad =
        new QShortcut(QKeySequence(Qt::Key_Enter), m_view, nullptr, nullptr, Qt::WidgetShortcut);
    auto* drop =
        new QShortcut(QKeySequence(QKeySequence::Delete), m_view, nullptr, nullptr, Qt::WidgetShortcut);
    connect(forward, &QShortcut::activated, m_editor, &InterceptEditor::forward);
    connect(forwardKeypad, &QShortcut::activated, m_editor, &InterceptEditor::forward);
    connect(drop, &QShortcut::activated, m_editor, &InterceptEditor::drop);

    setTabOrder(m_clearEnded, m_view);
    QWidget* previous = m_view;
    for (QWidget* next : m_editor->focusChain()) {
        setTabOrder(previous, next);
        previous = next;
    }
    fitColumns();
    showSelected();
    updateSummary();
}

QWidget* InterceptPanel::buildHeader()
{
    auto* header = new QWidget(this);
    m_summary->setObjectName(QStringLiteral("interceptSummaryLabel"));
    m_clearEnded->setObjectName(QStringLiteral("interceptClearEndedButton"));
    m_clearEnded->setToolTip(tr("Remove the messages that were decided, timed out or closed"));
    auto* layout = new QHBoxLayout(header);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_summary, 1);
    layout->addWidget(m_clearEnded);
    return header;
}

void InterceptPanel::configureView()
{
    m_view->setObjectName(QStringLiteral("interceptQueueView"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setWordWrap(false);
    m_view->setShowGrid(false);
    m_view->setTabKeyNavigation(false); // Tab moves on to the editor
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    // The method gets what is left; the other columns fit their content (fitColumns).
    m_view->horizontalHeader()->setSectionResizeMode(InterceptQueueModel::MethodColumn, QHeaderView::Stretch);
    m_view->setMinimumHeight(m_view->verticalHeader()->defaultSectionSize() * 2 +
                             m_view->fontMetrics().height() + 8);
}

void InterceptPanel::fitColumns()
{
    // A short list (ended rows are capped): measuring every row is cheap.
    for (int column = 0; column < InterceptQueueModel::ColumnCount; ++column)
        if (column != InterceptQueueModel::MethodColumn)
            m_view->resizeColumnToContents(column);
}

QList<QWidget*> InterceptPanel::focusChain() const
{
    return QList<QWidget*>{m_clearEnded, m_view} << m_editor->focusChain();
}

void InterceptPanel::showSelected()
{
    const QModelIndex index = m_view->currentIndex();
    m_editor->setRow(index.isValid() ? &m_model->row(index.row()) : nullptr);
}

void InterceptPanel::selectNewMessage(int row)
{
    // A new message is shown when the user is not busy with another waiting one; the keyboard
    // focus stays where it is.
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid() || !m_model->row(current.row()).waiting())
        m_view->setCurrentIndex(m_model->index(row, 0));
    emit messageHeld();
}

void InterceptPanel::decide(const InterceptDecision& decision)
{
    const int row = m_model->rowOf(m_editor->queue(), m_editor->heldId());
    if (row < 0)
        return;
    QString error;
    if (!m_model->decide(row, decision, &error)) {
        m_editor->showProblem(error); // timed out or closed meanwhile: the row says so shortly
        return;
    }
    // On to the next waiting message, so a queue can be worked through from the keyboard.
    for (int next = 0; next < m_model->rowCount(); ++next) {
        if (m_model->row(next).waiting()) {
            m_view->setCurrentIndex(m_model->index(next, 0));
            return;
        }
    }
    showSelected();
}

void InterceptPanel::updateSummary()
{
    const int waiting = m_model->waitingCount();
    m_summary->setText(tr("%n waiting", nullptr, waiting) + QStringLiteral(" \u00b7 ") +
                       timeoutText(m_proxies));
}

} // namespace rpcbench
