#include "client/IncomingPanel.h"

#include "client/HeldRequestEditor.h"
#include "client/HeldRequestsModel.h"
#include "client/IncomingFilterModel.h"
#include "client/IncomingModel.h"
#include "client/SubscriptionGroupsModel.h"
#include "client/TabOrder.h"
#include "util/JsonText.h"
#include "widgets/FlowLayout.h"
#include "widgets/Palette.h"
#include "widgets/PayloadView.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace rpcbench {

namespace {

enum DetailTab : int { MessageTab, GroupsTab, HeldTab };

// The answer message the client sends for `result` to the request with `id`.
QByteArray answerMessage(const QJsonValue& id, const RpcResult& result)
{
    QJsonObject reply{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")}, {QStringLiteral("id"), id}};
    if (result.ok) {
        reply.insert(QStringLiteral("result"), result.value);
    } else {
        QJsonObject error{{QStringLiteral("code"), result.error.code},
                          {QStringLiteral("message"), result.error.message}};
        if (!result.error.data.isUndefined())
            error.insert(QStringLiteral("data"), result.error.data);
        reply.insert(QStringLiteral("error"), error);
    }
    return JsonText::compact(reply);
}

} // namespace

IncomingPanel::IncomingPanel(QWidget* parent)
    : QWidget(parent), m_model(new IncomingModel(this)), m_filter(new IncomingFilterModel(this)),
      m_groups(new SubscriptionGroupsModel(m_model, this)), m_held(new HeldRequestsModel(this)),
      m_filterEdit(new QLineEdit(this)), m_groupBy(new QLineEdit(this)), m_groupByProblem(new QLabel(this)),
      m_hold(new QCheckBox(tr("&Hold unanswered"), this)), m_clientMethods(new QToolButton(this)),
      m_clear(new QPushButton(tr("C&lear"), this)), m_countLabel(new QLabel(this)),
      m_messages(new QTableView(this)), m_groupsView(new QTableView(this)), m_details(new QTabWidget(this)),
      m_message(new PayloadView(PayloadView::Mode::Pretty, this)),
      m_answer(new PayloadView(PayloadView::Mode::Pretty, this)), m_heldView(new QTableView(this)),
      m_editor(new HeldRequestEditor(this))
{
    setObjectName(QStringLiteral("incomingPanel"));
    m_filter->setSourceModel(m_model);
    configure(m_messages, QStringLiteral("incomingView"));
    m_messages->setModel(m_filter);
    // Method gets what is left; the answer column is last and as wide as its text.
    m_messages->horizontalHeader()->setSectionResizeMode(IncomingModel::MethodColumn, QHeaderView::Stretch);
    m_messages->horizontalHeader()->setMinimumSectionSize(
        m_messages->fontMetrics().horizontalAdvance(QStringLiteral("Method")) + 16);
    configure(m_groupsView, QStringLiteral("subscriptionGroupsView"));
    m_groupsView->setModel(m_groups);
    // Subscription ids are long (0x + 32 hex digits): the key gets what the counts leave,
    // elided in the middle, whole in its tooltip.
    m_groupsView->horizontalHeader()->setSectionResizeMode(SubscriptionGroupsModel::KeyColumn,
                                                           QHeaderView::Stretch);
    m_groupsView->setTextElideMode(Qt::ElideMiddle);
    m_groupsView->setToolTip(tr("Notifications grouped by subscription; select one to list only its events"));
    m_message->setObjectName(QStringLiteral("incomingMessageView"));
    m_answer->setObjectName(QStringLiteral("incomingAnswerView"));

    auto* messagePage = new QSplitter(Qt::Vertical, this); // the request above its answer
    messagePage->addWidget(m_message);
    messagePage->addWidget(m_answer);
    m_details->setObjectName(QStringLiteral("incomingDetailTabs"));
    m_details->addTab(messagePage, tr("Message"));
    m_details->addTab(m_groupsView, tr("Subscriptions"));
    m_details->addTab(buildHeldPage(), tr("Held requests"));

    // Stacked, not side by side: beside the composer the panel is narrow, and each table needs
    // its width for its columns. The groups are a tab below the list they filter.
    auto* vertical = new QSplitter(Qt::Vertical, this);
    vertical->setObjectName(QStringLiteral("incomingSplitter"));
    vertical->addWidget(m_messages);
    vertical->addWidget(m_details);
    vertical->setStretchFactor(0, 2);
    vertical->setStretchFactor(1, 3);
    // The window must still fit a 1024x640 screen (the client tabs get some 350 pixels then):
    // the detail pages scroll or squeeze instead of holding it tall.
    m_message->setMinimumHeight(m_message->fontMetrics().height() * 2);
    m_answer->setMinimumHeight(m_answer->fontMetrics().height() * 2);
    m_details->setMinimumHeight(m_details->fontMetrics().height() * 6);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(buildToolbar());
    layout->addWidget(vertical, 1);
    // A tab page's minimum holds the whole window (the client tabs are as tall as their tallest
    // page, shown or not), and this page's wrapped bar and two tables held a 1024x640 window
    // some 40 px taller while another tab was in front. Ignored: the page takes the height the
    // tab has; at that size its parts are at their own minimums anyway.
    setSizePolicy(sizePolicy().horizontalPolicy(), QSizePolicy::Ignored);

    connect(m_model, &IncomingModel::messagesAdded, this, &IncomingPanel::updateCounts);
    connect(m_groups, &QAbstractItemModel::modelReset, this, &IncomingPanel::updateCounts);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &IncomingPanel::updateCounts);
    connect(m_model, &IncomingModel::groupingChanged, m_filter, &IncomingFilterModel::regroup);
    connect(m_model, &IncomingModel::answerChanged, this, [this](int row) {
        const QModelIndex current = m_filter->mapToSource(m_messages->currentIndex());
        if (current.isValid() && current.row() == row)
            showSelectedMessage();
    });
    connect(m_held, &HeldRequestsModel::waitingCountChanged, this, &IncomingPanel::updateCounts);
    connect(m_held, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& from, const QModelIndex& to) {
                const int row = m_heldView->currentIndex().row();
                if (row >= from.row() && row <= to.row() && !m_held->request(row).ended.isEmpty())
                    showSelectedHeld(); // it ended while shown: the editor turns read-only
            });
    connect(m_messages->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &IncomingPanel::showSelectedMessage);
    connect(m_groupsView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &IncomingPanel::selectGroup);
    connect(m_heldView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &IncomingPanel::showSelectedHeld);
    connect(m_editor, &HeldRequestEditor::answerRequested, this, &IncomingPanel::answer);
    connect(m_editor, &HeldRequestEditor::rejectRequested, this, &IncomingPanel::rejectRequested);
    showSelectedMessage();
    updateCounts();
    setTabChain(focusChain()); // reading order; ClientPanel chains it after its own stops
}

QWidget* IncomingPanel::buildToolbar()
{
    auto* bar = new QWidget(this);
    m_filterEdit->setObjectName(QStringLiteral("incomingFilterEdit"));
    m_filterEdit->setPlaceholderText(tr("Filter by method, id or subscription"));
    m_filterEdit->setClearButtonEnabled(true);
    m_groupBy->setObjectName(QStringLiteral("groupByEdit"));
    m_groupBy->setPlaceholderText(QString::fromLatin1(IncomingModel::DefaultGroupBy));
    m_groupBy->setToolTip(tr("The JSON Pointer whose value groups notifications into subscriptions "
                             "(empty: /params/subscription, as eth_subscription has it)"));
    m_groupByProblem->setObjectName(QStringLiteral("groupByProblem"));
    Palette::setErrorText(m_groupByProblem);
    m_groupByProblem->hide();
    m_hold->setObjectName(QStringLiteral("holdCheck"));
    m_hold->setChecked(true);
    m_hold->setToolTip(tr("A server request no client method answers waits for you under Held requests; "
                          "off: it is answered -32601 at once"));
    m_clientMethods->setObjectName(QStringLiteral("clientMethodsButton"));
    m_clientMethods->setText(tr("Client methods…"));
    m_clientMethods->setToolTip(tr("The methods the client answers the server's requests with"));
    m_clear->setObjectName(QStringLiteral("incomingClearButton"));
    m_clear->setIcon(QIcon(QStringLiteral(":/icons/clear.svg")));
    m_countLabel->setObjectName(QStringLiteral("incomingCountLabel"));
    m_countLabel->setToolTip(
        tr("Only the newest %1 messages are kept").arg(QLocale().toString(IncomingModel::MaxRows)));
    connect(m_filterEdit, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_filter->setText(text);
        updateCounts();
    });
    connect(m_groupBy, &QLineEdit::editingFinished, this, &IncomingPanel::applyGroupBy);
    connect(m_hold, &QCheckBox::toggled, this, [this](bool on) {
        m_model->setHolding(on);
        emit holdingChanged(on);
    });
    connect(m_clear, &QPushButton::clicked, this, &IncomingPanel::clear);

    auto* groupLabel = new QLabel(tr("&Group by"));
    groupLabel->setBuddy(m_groupBy);
    // Two rows: what is listed, then how requests and subscriptions are handled. The second
    // wraps in a narrow panel (beside the composer and the server dock) instead of holding it wide.
    auto* list = new QHBoxLayout;
    list->addWidget(m_filterEdit, 1);
    list->addWidget(m_countLabel);
    list->addWidget(m_clear);
    auto* groupRow = new QWidget(bar); // the label stays with its field
    auto* group = new QHBoxLayout(groupRow);
    group->setContentsMargins(0, 0, 0, 0);
    group->addWidget(groupLabel);
    group->addWidget(m_groupBy);
    group->addWidget(m_groupByProblem);
    m_groupBy->setMinimumWidth(
        m_groupBy->fontMetrics().horizontalAdvance(QStringLiteral("/params/subscription")) + 16);
    auto* handlingBox = new QWidget(bar);
    auto* handling = new FlowLayout(handlingBox, 12);
    handling->setContentsMargins(0, 0, 0, 0);
    handling->addWidget(groupRow);
    handling->addWidget(m_hold);
    handling->addWidget(m_clientMethods);
    auto* layout = new QVBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(list);
    layout->addWidget(handlingBox);
    return bar;
}

QWidget* IncomingPanel::buildHeldPage()
{
    configure(m_heldView, QStringLiteral("heldRequestsView"));
    m_heldView->setModel(m_held);
    m_heldView->horizontalHeader()->setSectionResizeMode(HeldRequestsModel::MethodColumn,
                                                         QHeaderView::Stretch);
    // The editor scrolls rather than holding the window tall on a laptop screen.
    auto* scroll = new QScrollArea(this);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setWidget(m_editor);
    scroll->setMinimumHeight(scroll->fontMetrics().height() * 2);
    auto* page = new QSplitter(Qt::Vertical, this);
    page->addWidget(m_heldView);
    page->addWidget(scroll);
    page->setStretchFactor(0, 1);
    page->setStretchFactor(1, 4);
    return page;
}

void IncomingPanel::configure(QTableView* view, const QString& name)
{
    view->setObjectName(name);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setWordWrap(false);
    view->setShowGrid(false);
    view->verticalHeader()->hide();
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view->setTabKeyNavigation(false); // Tab moves on to the next control
    // A header and a row at least (1024x640 gives the whole page some 260 px); the splitters
    // give more when there is room.
    view->setMinimumHeight(view->verticalHeader()->defaultSectionSize() + view->fontMetrics().height() + 8);
}

QList<QWidget*> IncomingPanel::focusChain() const
{
    return QList<QWidget*>{m_filterEdit,
                           m_groupBy,
                           m_hold,
                           m_clientMethods,
                           m_clear,
                           m_messages,
                           m_details->tabBar(),
                           m_message->editor(),
                           m_answer->editor(),
                           m_groupsView,
                           m_heldView}
           << m_editor->focusChain();
}

void IncomingPanel::addIncoming(quint64 linkId, const QByteArray& payload)
{
    m_model->add(linkId, payload);
}

void IncomingPanel::addHeld(quint64 holdId, quint64 linkId, const QByteArray& request)
{
    m_model->markHeld(holdId, linkId, request);
    m_held->add(holdId, linkId, request);
    // The request waits for an answer: show it, without taking the keyboard focus.
    m_details->setCurrentIndex(HeldTab);
    if (!m_heldView->currentIndex().isValid() ||
        !m_held->request(m_heldView->currentIndex().row()).ended.isEmpty())
        m_heldView->setCurrentIndex(m_held->index(m_held->rowOf(holdId), 0));
}

void IncomingPanel::endHold(quint64 holdId, const QString& how)
{
    m_model->markHoldEnded(holdId, how, m_sentAnswers.take(holdId));
    m_held->end(holdId, how);
}

void IncomingPanel::answer(quint64 holdId, const RpcResult& result)
{
    const int row = m_held->rowOf(holdId);
    if (row >= 0)
        m_sentAnswers.insert(holdId, answerMessage(m_held->request(row).id, result));
    emit answerRequested(holdId, result);
}

void IncomingPanel::setHolding(bool hold, int timeoutMs)
{
    m_holdTimeoutMs = timeoutMs;
    m_held->setTimeoutMs(timeoutMs);
    m_model->setHolding(hold);
    {
        const QSignalBlocker block(m_hold);
        m_hold->setChecked(hold);
    }
    emit holdingChanged(hold); // once, with the timeout, even when only the timeout changed
}

bool IncomingPanel::holding() const
{
    return m_hold->isChecked();
}

QString IncomingPanel::groupBy() const
{
    return m_model->groupBy();
}

void IncomingPanel::setGroupBy(const QString& pointer)
{
    m_groupBy->setText(pointer);
    applyGroupBy();
}

void IncomingPanel::applyGroupBy()
{
    const QString pointer = m_groupBy->text().trimmed();
    const bool bad = !pointer.isEmpty() && !pointer.startsWith(QLatin1Char('/'));
    m_groupByProblem->setText(bad ? tr("a JSON Pointer starts with /") : QString());
    m_groupByProblem->setVisible(bad);
    if (bad || pointer == m_model->groupBy())
        return;
    m_model->setGroupBy(pointer);
    emit groupByChanged(m_model->groupBy());
}

void IncomingPanel::clear()
{
    m_model->clear();
    m_held->clearEnded();
    m_filter->setGroup(QString());
    showSelectedMessage();
    showSelectedHeld();
    updateCounts();
}

void IncomingPanel::selectGroup()
{
    const QModelIndexList rows = m_groupsView->selectionModel()->selectedRows();
    m_filter->setGroup(rows.isEmpty() ? QString() : m_groups->key(rows.first().row()));
    updateCounts(); // "5 of 10 messages"
}

void IncomingPanel::showSelectedMessage()
{
    const QModelIndex index = m_filter->mapToSource(m_messages->currentIndex());
    if (!index.isValid()) {
        m_message->setMessage(tr("Messages the server sends the client on its own (notifications, requests) "
                                 "are listed above. Select one to see it."));
        m_answer->clear();
        return;
    }
    const IncomingMessage& m = m_model->message(index.row());
    m_message->setPayload(m.payload);
    if (!m.answerPayload.isEmpty()) {
        m_answer->setPayload(m.answerPayload);
        return;
    }
    switch (m.answer) {
    case AnswerState::None:
        m_answer->setMessage(tr("A notification: nothing is answered."));
        break;
    case AnswerState::ClientMethod:
        m_answer->setMessage(tr("Answered by the client method %1; its answer appears here once sent "
                                "(and in the traffic log, paired with this request).")
                                 .arg(m.method));
        break;
    case AnswerState::Waiting:
    case AnswerState::Held:
        m_answer->setMessage(tr("Waiting for your answer under Held requests."));
        break;
    case AnswerState::NotFound:
        m_answer->setMessage(
            tr("No client method %1: answered with error -32601 (method not found).").arg(m.method));
        break;
    default:
        m_answer->setMessage(IncomingModel::answerText(m.answer));
        break;
    }
}

void IncomingPanel::showSelectedHeld()
{
    const QModelIndex index = m_heldView->currentIndex();
    m_editor->setRequest(index.isValid() ? &m_held->request(index.row()) : nullptr);
}

void IncomingPanel::updateCounts()
{
    const int held = m_held->waitingCount();
    m_details->setTabText(HeldTab, held > 0 ? tr("Held requests (%1)").arg(held) : tr("Held requests"));
    const int groups = m_groups->rowCount();
    m_details->setTabText(GroupsTab, groups > 0 ? tr("Subscriptions (%1)").arg(groups) : tr("Subscriptions"));
    QString text = tr("%1 messages").arg(QLocale().toString(m_model->rowCount()));
    if (m_model->droppedCount() > 0)
        text = tr("%1 (newest %2 kept)").arg(text, QLocale().toString(IncomingModel::MaxRows));
    if (m_filter->rowCount() < m_model->rowCount()) // the filter or a selected subscription
        text = tr("%1 of %2").arg(QLocale().toString(m_filter->rowCount()), text);
    m_countLabel->setText(text);
    emit countsChanged(m_model->rowCount(), held);
}

} // namespace rpcbench
