#include "proxy/InterceptEditor.h"

#include "proxy/InterceptQueueModel.h"
#include "util/JsonText.h"
#include "widgets/JsonHighlighter.h"
#include "widgets/Palette.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace rpcbench {

namespace {

QPlainTextEdit* jsonEdit(const QString& name, QWidget* parent)
{
    auto* edit = new QPlainTextEdit(parent);
    edit->setObjectName(name);
    edit->setTabChangesFocus(true); // Tab leaves the field: the buttons stay keyboard reachable
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    new JsonHighlighter(edit->document(), edit->palette().color(QPalette::Base).lightness() < 128);
    return edit;
}

// Empty when `text` is one JSON-RPC message or batch as JSON (what the queue accepts).
QString jsonProblem(const QString& text)
{
    QString error;
    const auto value = JsonText::parseValue(text, &error);
    if (!value)
        return error;
    if (!value->isObject() && !value->isArray())
        return InterceptEditor::tr("a message is a JSON object or array");
    return {};
}

// The edited text on one line, every token as typed: the user edits the indented form, but a
// peer that reads one message per line (newline-delimited TCP, stdio) must get one line. JSON
// strings cannot hold a raw newline or tab, so whitespace outside strings is all that goes.
QByteArray oneLine(const QString& text)
{
    const QByteArray in = text.toUtf8();
    QByteArray out;
    out.reserve(in.size());
    bool inString = false;
    bool escaped = false;
    for (const char c : in) {
        if (inString) {
            if (escaped)
                escaped = false; // the escaped character, a quote included, stays in the string
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
        } else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            continue;
        } else if (c == '"') {
            inString = true;
        }
        out.append(c);
    }
    return out;
}

QString describe(const InterceptRow& row)
{
    const HeldMessage& m = row.message;
    const QString what = m.summary.kind == MessageKind::Request        ? InterceptEditor::tr("Request")
                         : m.summary.kind == MessageKind::Notification ? InterceptEditor::tr("Notification")
                                                                       : InterceptEditor::tr("Message");
    QString text = InterceptEditor::tr("%1 %2").arg(what, row.methodText());
    if (!m.summary.idJson.isEmpty())
        text += InterceptEditor::tr(" (id %1)").arg(QString::fromUtf8(m.summary.idJson));
    return InterceptEditor::tr("%1 %2 on connection %3 of %4")
        .arg(text, m.toServer ? InterceptEditor::tr("to the server") : InterceptEditor::tr("to the client"))
        .arg(m.connectionId)
        .arg(row.proxyName);
}

} // namespace

InterceptEditor::InterceptEditor(QWidget* parent)
    : QWidget(parent), m_title(new QLabel(this)),
      m_message(jsonEdit(QStringLiteral("interceptMessageEdit"), this)),
      m_replyLabel(
          new QLabel(tr("Local &answer (sent back to the client; the server never sees the call):"), this)),
      m_reply(jsonEdit(QStringLiteral("interceptReplyEdit"), this)), m_problem(new QLabel(this)),
      m_drop(new QPushButton(tr("&Drop"), this)), m_answer(new QPushButton(tr("Answer &locally"), this)),
      m_forward(new QPushButton(tr("&Forward"), this))
{
    m_title->setObjectName(QStringLiteral("interceptTitleLabel"));
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_replyLabel->setBuddy(m_reply);
    m_problem->setObjectName(QStringLiteral("interceptProblemLabel"));
    m_problem->setWordWrap(true);
    m_problem->hide();
    m_forward->setObjectName(QStringLiteral("interceptForwardButton"));
    m_forward->setToolTip(tr("Send the message on as shown (Ctrl+Enter); unchanged, its original bytes"));
    m_answer->setObjectName(QStringLiteral("interceptAnswerButton"));
    m_answer->setToolTip(tr("Send the local answer to the client instead of forwarding the request"));
    m_drop->setObjectName(QStringLiteral("interceptDropButton"));
    m_drop->setToolTip(tr("Send nothing: the other side never gets this message"));

    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_drop);
    buttons->addWidget(m_answer);
    buttons->addWidget(m_forward);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_message, 3);
    layout->addWidget(m_replyLabel);
    layout->addWidget(m_reply, 1);
    layout->addWidget(m_problem);
    layout->addLayout(buttons);

    connect(m_message, &QPlainTextEdit::textChanged, this, &InterceptEditor::validate);
    connect(m_reply, &QPlainTextEdit::textChanged, this, &InterceptEditor::validate);
    connect(m_forward, &QPushButton::clicked, this, &InterceptEditor::forward);
    connect(m_answer, &QPushButton::clicked, this, &InterceptEditor::answer);
    connect(m_drop, &QPushButton::clicked, this, &InterceptEditor::drop);
    // Ctrl+Enter is the window's Send too: taken here while the focus is in our fields.
    m_message->installEventFilter(this);
    m_reply->installEventFilter(this);
    setRow(nullptr);
}

bool InterceptEditor::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() != QEvent::ShortcutOverride && event->type() != QEvent::KeyPress)
        return QWidget::eventFilter(watched, event);
    const auto* key = static_cast<QKeyEvent*>(event);
    const bool ctrlEnter = (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) &&
                           (key->modifiers() & ~Qt::KeypadModifier) == Qt::ControlModifier;
    if (!ctrlEnter)
        return QWidget::eventFilter(watched, event);
    if (event->type() == QEvent::ShortcutOverride) {
        event->accept(); // ours, not the window's shortcut: the key press comes to us next
        return true;
    }
    if (watched == m_reply)
        answer(); // the local answer's field: Ctrl+Enter sends it
    else
        forward();
    return true;
}

QList<QWidget*> InterceptEditor::focusChain() const
{
    return {m_message, m_reply, m_drop, m_answer, m_forward};
}

void InterceptEditor::setRow(const InterceptRow* row)
{
    const bool same = row && row->queue.get() == m_queue && row->message.id == m_id;
    const bool open = row && row->waiting();
    if (same && open && m_open)
        return; // still waiting: keep what the user typed
    m_queue = row ? row->queue.get() : nullptr;
    m_id = row ? row->message.id : 0;
    m_open = open;
    m_canAnswer = row && row->message.toServer && row->message.summary.kind == MessageKind::Request;
    if (!same) {
        m_original = row ? row->message.json : QByteArray();
        // Whole, however long: a cut text could not be forwarded.
        m_shownText = row ? JsonText::pretty(m_original, m_original.size()) : QString();
        const QSignalBlocker blockMessage(m_message);
        const QSignalBlocker blockReply(m_reply);
        m_message->setPlainText(m_shownText);
        m_reply->setPlainText(m_canAnswer ? QStringLiteral(R"({"jsonrpc":"2.0","id":%1,"result":null})")
                                                .arg(QString::fromUtf8(row->message.summary.idJson))
                                          : QString());
    }
    m_title->setText(row ? describe(*row)
                         : tr("Select a paused message to edit, forward, answer or drop it."));
    m_message->setReadOnly(!open);
    m_reply->setReadOnly(!open);
    m_replyLabel->setVisible(m_canAnswer);
    m_reply->setVisible(m_canAnswer);
    m_message->setEnabled(row != nullptr);
    validate();
    if (row && !open) {
        m_problem->setText(tr("This message is no longer waiting: %1.").arg(row->ended));
        m_problem->show();
        Palette::setErrorText(m_problem, false); // how it ended is news, not a mistake
    }
}

void InterceptEditor::validate()
{
    QString problem;
    const QString messageProblem = m_open ? jsonProblem(m_message->toPlainText()) : QString();
    const QString replyProblem = m_open && m_canAnswer ? jsonProblem(m_reply->toPlainText()) : QString();
    if (!messageProblem.isEmpty())
        problem = tr("Message: %1").arg(messageProblem);
    else if (!replyProblem.isEmpty())
        problem = tr("Local answer: %1").arg(replyProblem);
    m_forward->setEnabled(m_open && messageProblem.isEmpty());
    m_answer->setEnabled(m_open && m_canAnswer && replyProblem.isEmpty());
    m_drop->setEnabled(m_open);
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    Palette::setErrorText(m_problem, true);
}

void InterceptEditor::showProblem(const QString& text)
{
    m_problem->setText(text);
    m_problem->setVisible(!text.isEmpty());
    Palette::setErrorText(m_problem, true);
}

QString InterceptEditor::problem() const
{
    return m_problem->isHidden() ? QString() : m_problem->text();
}

QByteArray InterceptEditor::editedMessage() const
{
    // Unchanged: the bytes as they arrived (the proxy is byte-transparent unless the user edits).
    const QString text = m_message->toPlainText();
    return text == m_shownText ? m_original : oneLine(text);
}

bool InterceptEditor::forward()
{
    if (!m_forward->isEnabled())
        return false;
    emit decisionRequested({InterceptDecision::Action::Forward, editedMessage(), false});
    return true;
}

bool InterceptEditor::answer()
{
    if (!m_answer->isEnabled())
        return false;
    emit decisionRequested({InterceptDecision::Action::Answer, oneLine(m_reply->toPlainText()), false});
    return true;
}

void InterceptEditor::drop()
{
    if (m_drop->isEnabled())
        emit decisionRequested({InterceptDecision::Action::Drop, {}, false});
}

} // namespace rpcbench
