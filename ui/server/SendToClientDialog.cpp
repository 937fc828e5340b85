#include "server/SendToClientDialog.h"

#include "server/ConnectionsModel.h"
#include "server/RpcServer.h"
#include "util/JsonText.h"
#include "widgets/Palette.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTime>
#include <QVBoxLayout>

namespace rpcbench {

namespace {

constexpr int kMaxRecent = 20;

// What servers commonly push, offered after the names the user sent before.
const char* const kSuggestions[] = {"window/logMessage",
                                    "window/showMessage",
                                    "$/progress",
                                    "workspace/configuration",
                                    "notifications/message",
                                    "notifications/progress",
                                    "sampling/createMessage",
                                    "roots/list",
                                    "eth_subscription"};

QStringList& recentList()
{
    static QStringList recent;
    return recent;
}

QPlainTextEdit* codeEdit(const QString& name, QWidget* parent)
{
    auto* edit = new QPlainTextEdit(parent);
    edit->setObjectName(name);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setTabChangesFocus(true);
    return edit;
}

} // namespace

SendToClientDialog::SendToClientDialog(RpcServer* server, ConnectionsModel* connections, quint64 target,
                                       QWidget* parent)
    : QDialog(parent), m_server(server), m_connections(connections), m_target(target),
      m_kind(new QComboBox(this)), m_targets(new QComboBox(this)), m_method(new QComboBox(this)),
      m_params(codeEdit(QStringLiteral("sendParamsEdit"), this)), m_timeout(new QSpinBox(this)),
      m_targetNote(new QLabel(this)), m_problem(new QLabel(this)),
      m_outcomes(codeEdit(QStringLiteral("sendOutcomesView"), this)),
      m_send(new QPushButton(QIcon(QStringLiteral(":/icons/send.svg")), tr("Send"), this))
{
    setObjectName(QStringLiteral("sendToClientDialog"));
    setWindowTitle(tr("Send to client"));
    setAttribute(Qt::WA_DeleteOnClose);

    m_kind->setObjectName(QStringLiteral("sendKindCombo"));
    m_kind->addItem(tr("Notification (no reply)"), int(Kind::Notification));
    m_kind->addItem(tr("Request (await the client's reply)"), int(Kind::Request));
    m_targets->setObjectName(QStringLiteral("sendTargetCombo"));
    m_targetNote->setObjectName(QStringLiteral("sendTargetNote"));
    m_targetNote->setWordWrap(true);
    m_method->setObjectName(QStringLiteral("sendMethodCombo"));
    m_method->setEditable(true);
    m_method->setInsertPolicy(QComboBox::NoInsert);
    QStringList names = recentList();
    for (const char* name : kSuggestions) {
        if (!names.contains(QLatin1String(name)))
            names << QLatin1String(name);
    }
    m_method->addItems(names);
    m_method->setCurrentText(recentList().value(0, QStringLiteral("window/logMessage")));
    m_params->setPlaceholderText(tr("Params as JSON: an object or an array; empty for none.\n"
                                    "e.g. {\"type\": 3, \"message\": \"hello from the server\"}"));
    m_params->setMinimumHeight(4 * fontMetrics().height());
    m_timeout->setObjectName(QStringLiteral("sendTimeoutSpin"));
    m_timeout->setRange(0, 3'600'000);
    m_timeout->setSingleStep(1000);
    m_timeout->setSuffix(tr(" ms"));
    m_timeout->setSpecialValueText(tr("no limit"));
    m_timeout->setValue(60'000);
    m_problem->setObjectName(QStringLiteral("sendProblemLabel"));
    m_problem->setWordWrap(true);
    Palette::setErrorText(m_problem);
    m_outcomes->setReadOnly(true);
    m_outcomes->setPlaceholderText(tr("What was sent, and the client's replies to requests"));
    m_send->setObjectName(QStringLiteral("sendToClientButton"));
    m_send->setDefault(true);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_send, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_send, &QPushButton::clicked, this, &SendToClientDialog::send);

    auto* form = new QFormLayout;
    form->addRow(tr("Send &as"), m_kind);
    form->addRow(tr("&To"), m_targets);
    form->addRow(QString(), m_targetNote);
    form->addRow(tr("&Method"), m_method);
    form->addRow(tr("&Params"), m_params);
    form->addRow(tr("T&imeout"), m_timeout);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form, 1);
    layout->addWidget(m_problem);
    layout->addWidget(new QLabel(tr("Sent and received"), this));
    layout->addWidget(m_outcomes, 2);
    layout->addWidget(buttons);
    setTabOrder(m_kind, m_targets);
    setTabOrder(m_targets, m_method);
    setTabOrder(m_method, m_params);
    setTabOrder(m_params, m_timeout);
    setTabOrder(m_timeout, m_send);
    setTabOrder(m_send, m_outcomes);
    resize(560, 520);

    connect(m_kind, &QComboBox::currentIndexChanged, this, [this, form] {
        form->setRowVisible(m_timeout, kind() == Kind::Request);
        rebuildTargets();
    });
    connect(m_targets, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_target = m_targets->itemData(i).toULongLong();
        validate();
    });
    connect(m_method, &QComboBox::editTextChanged, this, &SendToClientDialog::validate);
    connect(m_params, &QPlainTextEdit::textChanged, this, &SendToClientDialog::validate);
    if (m_connections) {
        for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
            connect(m_connections, signal, this, &SendToClientDialog::rebuildTargets);
        connect(m_connections, &QAbstractItemModel::modelReset, this, &SendToClientDialog::rebuildTargets);
        // canPush changes when an HTTP client opens or closes its event stream.
        connect(m_connections, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex& from) {
            if (from.column() <= ConnectionsModel::PushColumn) // not the counters' ticks
                rebuildTargets();
        });
    }
    if (m_server)
        connect(m_server, &RpcServer::clientRequestFinished, this, &SendToClientDialog::showReply);
    form->setRowVisible(m_timeout, false);
    rebuildTargets();
    m_method->setFocus();
}

QStringList SendToClientDialog::recentMethods()
{
    return recentList();
}

void SendToClientDialog::remember(const QString& method)
{
    QStringList& recent = recentList();
    recent.removeAll(method);
    recent.prepend(method);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
}

void SendToClientDialog::setKind(Kind kind)
{
    m_kind->setCurrentIndex(m_kind->findData(int(kind)));
}

SendToClientDialog::Kind SendToClientDialog::kind() const
{
    return Kind(m_kind->currentData().toInt());
}

void SendToClientDialog::setTarget(quint64 connectionId)
{
    m_target = connectionId;
    rebuildTargets();
}

quint64 SendToClientDialog::target() const
{
    return m_target;
}

void SendToClientDialog::setMethod(const QString& method)
{
    m_method->setCurrentText(method);
}

void SendToClientDialog::setParamsText(const QString& json)
{
    m_params->setPlainText(json);
}

// The list follows the connections as they open and close; the chosen target stays chosen,
// and one that closed stays in the list as "closed" so the user sees why nothing can be sent.
void SendToClientDialog::rebuildTargets()
{
    const QList<ConnectionInfo> open = m_connections ? m_connections->connections() : QList<ConnectionInfo>{};
    const bool request = kind() == Kind::Request;
    if (request && m_target == 0) {
        const auto pushable =
            std::find_if(open.cbegin(), open.cend(), [](const auto& c) { return c.canPush; });
        if (pushable != open.cend())
            m_target = pushable->id;
    }
    const QSignalBlocker blocker(m_targets);
    m_targets->clear();
    const int pushCount =
        int(std::count_if(open.cbegin(), open.cend(), [](const auto& c) { return c.canPush; }));
    m_targets->addItem(tr("All connections that can take pushes (%1)").arg(pushCount), quint64(0));
    // Requests go to one connection only: they await one reply.
    if (auto* items = qobject_cast<QStandardItemModel*>(m_targets->model()))
        items->item(0)->setEnabled(!request);
    bool listed = m_target == 0;
    for (const ConnectionInfo& c : open) {
        QString text = ConnectionsModel::describe(c);
        if (!c.canPush)
            text += tr(" — cannot take pushes");
        m_targets->addItem(text, c.id);
        listed = listed || c.id == m_target;
    }
    if (!listed)
        m_targets->addItem(tr("#%1 — closed").arg(m_target), m_target);
    m_targets->setCurrentIndex(m_targets->findData(m_target));
    validate();
}

std::optional<QJsonValue> SendToClientDialog::params(QString* error) const
{
    const QString text = m_params->toPlainText().trimmed();
    if (text.isEmpty())
        return QJsonValue(QJsonValue::Undefined);
    QString problem;
    auto value = JsonText::parseValue(text, &problem);
    if (!value) {
        *error = tr("The params are not valid JSON: %1").arg(problem);
        return std::nullopt;
    }
    if (!value->isObject() && !value->isArray()) {
        *error = tr("The params must be a JSON object or array (or empty for none)");
        return std::nullopt;
    }
    return value;
}

// Why the chosen target cannot be sent to, empty when it can.
QString SendToClientDialog::targetProblem() const
{
    if (!m_server)
        return tr("The embedded server is not available");
    if (!m_connections)
        return {};
    if (m_target == 0) {
        if (kind() == Kind::Request)
            return tr("A request goes to one connection: choose it under To");
        return m_connections->pushCapableCount() ? QString() : tr("No open connection can take pushes");
    }
    const int row = m_connections->rowOf(m_target);
    if (row < 0)
        return tr("Connection #%1 has closed").arg(m_target);
    return ConnectionsModel::whyNoPush(m_connections->connection(row));
}

void SendToClientDialog::validate()
{
    const QString note = targetProblem();
    m_targetNote->setText(note);
    m_targetNote->setVisible(!note.isEmpty());
    QString error;
    if (m_method->currentText().trimmed().isEmpty())
        error = tr("Enter the method to send");
    else
        params(&error);
    m_problem->setText(error);
    Palette::setErrorText(m_problem);
    // A target that cannot take the message keeps Send enabled: pressing it says why.
    m_send->setEnabled(error.isEmpty());
}

QString SendToClientDialog::problem() const
{
    return m_problem->text();
}

QString SendToClientDialog::outcomes() const
{
    return m_outcomes->toPlainText();
}

bool SendToClientDialog::send()
{
    QString error;
    const QString method = m_method->currentText().trimmed();
    const auto value = params(&error);
    if (error.isEmpty())
        error = targetProblem();
    if (!value || method.isEmpty() || !error.isEmpty()) {
        m_problem->setText(error.isEmpty() ? tr("Enter the method to send") : error);
        return false;
    }
    m_problem->clear();
    remember(method);
    if (kind() == Kind::Notification) {
        const int reached = m_server->notifyClient(m_target, method, *value);
        if (reached == 0) {
            m_problem->setText(tr("Not sent: no connection could take %1").arg(method));
            return false;
        }
        appendOutcome(reached == 1 ? tr("→ notification %1 sent to 1 connection").arg(method)
                                   : tr("→ notification %1 sent to %2 connections").arg(method).arg(reached));
        return true;
    }
    const quint64 requestId = m_server->requestClient(m_target, method, *value, m_timeout->value());
    m_pending.insert(requestId, Pending{m_target, method});
    appendOutcome(
        tr("→ request %1 (id %2) sent to #%3, awaiting the reply…").arg(method).arg(requestId).arg(m_target));
    return true;
}

void SendToClientDialog::showReply(quint64 requestId, const CallResult& result)
{
    const auto pending = m_pending.constFind(requestId);
    if (pending == m_pending.cend())
        return; // another dialog's request
    const QString latency =
        result.latencyUs >= 0 ? tr(" in %1").arg(JsonText::formatLatency(result.latencyUs)) : QString();
    QString text = tr("← #%1 answered %2 (id %3)%4 with ")
                       .arg(pending->connectionId)
                       .arg(pending->method)
                       .arg(requestId)
                       .arg(latency);
    if (result.status == CallStatus::Ok) {
        text += tr("a result:\n%1").arg(QString::fromUtf8(JsonText::serialize(result.result, true)));
    } else if (result.status == CallStatus::RpcError) {
        text += tr("an error:\n%1").arg(result.describe());
        if (!result.error.data.isUndefined())
            text += tr("\ndata: %1").arg(QString::fromUtf8(JsonText::serialize(result.error.data, true)));
    } else {
        text = tr("✗ %1 to #%2 (id %3): %4")
                   .arg(pending->method)
                   .arg(pending->connectionId)
                   .arg(requestId)
                   .arg(result.describe());
    }
    m_pending.erase(pending);
    appendOutcome(text);
    emit replyShown(requestId, result);
}

void SendToClientDialog::appendOutcome(const QString& text)
{
    m_outcomes->appendPlainText(
        QStringLiteral("%1  %2").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), text));
    m_outcomes->verticalScrollBar()->setValue(m_outcomes->verticalScrollBar()->maximum());
}

} // namespace rpcbench
