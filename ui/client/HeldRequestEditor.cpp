#include "client/HeldRequestEditor.h"

#include "client/HeldRequestsModel.h"
#include "util/JsonText.h"
#include "widgets/JsonHighlighter.h"
#include "widgets/Palette.h"
#include "widgets/PayloadView.h"

#include <QButtonGroup>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <limits>

namespace rpcbench {

namespace {

QPlainTextEdit* jsonEdit(const QString& name, const QString& placeholder, QWidget* parent)
{
    auto* edit = new QPlainTextEdit(parent);
    edit->setObjectName(name);
    edit->setPlaceholderText(placeholder);
    edit->setTabChangesFocus(true); // Tab leaves the field: the form stays keyboard reachable
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    new JsonHighlighter(edit->document(), edit->palette().color(QPalette::Base).lightness() < 128);
    return edit;
}

} // namespace

HeldRequestEditor::HeldRequestEditor(QWidget* parent)
    : QWidget(parent), m_request(new PayloadView(PayloadView::Mode::Pretty, this)),
      m_resultRadio(new QRadioButton(tr("Answer with a &result"), this)),
      m_errorRadio(new QRadioButton(tr("an &error"), this)), m_code(new QSpinBox(this)),
      m_message(new QLineEdit(this)), m_problem(new QLabel(this)),
      m_send(new QPushButton(tr("&Send answer"), this)), m_reject(new QPushButton(tr("Re&ject"), this)),
      m_resultBox(new QWidget(this)), m_errorBox(new QWidget(this))
{
    m_request->setObjectName(QStringLiteral("heldRequestView"));
    m_result = jsonEdit(QStringLiteral("heldResultEdit"),
                        tr("The result, as JSON (e.g. null, {\"ok\": true})"), m_resultBox);
    m_data =
        jsonEdit(QStringLiteral("heldErrorDataEdit"), tr("Optional: the error's data, as JSON"), m_errorBox);
    m_resultRadio->setObjectName(QStringLiteral("heldResultRadio"));
    m_errorRadio->setObjectName(QStringLiteral("heldErrorRadio"));
    m_resultRadio->setChecked(true);
    auto* mode = new QButtonGroup(this);
    mode->addButton(m_resultRadio);
    mode->addButton(m_errorRadio);
    m_code->setObjectName(QStringLiteral("heldErrorCodeSpin"));
    m_code->setRange(std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
    m_code->setValue(-32000);
    m_message->setObjectName(QStringLiteral("heldErrorMessageEdit"));
    m_message->setPlaceholderText(tr("What went wrong"));
    m_problem->setObjectName(QStringLiteral("heldProblemLabel"));
    m_problem->setWordWrap(true);
    Palette::setErrorText(m_problem);
    m_problem->hide();
    m_send->setObjectName(QStringLiteral("heldSendButton"));
    m_send->setToolTip(tr("Answer the server's request with this result or error"));
    m_reject->setObjectName(QStringLiteral("heldRejectButton"));
    m_reject->setToolTip(tr("Answer with error -32000 \"rejected by the user\""));

    auto* resultLayout = new QVBoxLayout(m_resultBox);
    resultLayout->setContentsMargins(0, 0, 0, 0);
    resultLayout->addWidget(m_result);
    auto* errorLayout = new QFormLayout(m_errorBox);
    errorLayout->setContentsMargins(0, 0, 0, 0);
    errorLayout->addRow(tr("Code"), m_code);
    errorLayout->addRow(tr("Message"), m_message);
    errorLayout->addRow(tr("Data"), m_data);
    auto* modeRow = new QHBoxLayout;
    modeRow->addWidget(m_resultRadio);
    modeRow->addWidget(m_errorRadio);
    modeRow->addStretch(1);
    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_reject);
    buttons->addWidget(m_send);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_request, 2);
    layout->addLayout(modeRow);
    layout->addWidget(m_resultBox, 1);
    layout->addWidget(m_errorBox, 1);
    layout->addWidget(m_problem);
    layout->addLayout(buttons);

    connect(m_resultRadio, &QRadioButton::toggled, this, &HeldRequestEditor::updateMode);
    connect(m_send, &QPushButton::clicked, this, &HeldRequestEditor::send);
    connect(m_reject, &QPushButton::clicked, this, &HeldRequestEditor::reject);
    connect(m_result, &QPlainTextEdit::textChanged, this, [this] { showProblem({}); });
    connect(m_data, &QPlainTextEdit::textChanged, this, [this] { showProblem({}); });
    updateMode();
    setRequest(nullptr);
}

QList<QWidget*> HeldRequestEditor::focusChain() const
{
    return {m_request->editor(), m_resultRadio, m_errorRadio, m_result, m_code,
            m_message,           m_data,        m_reject,     m_send};
}

void HeldRequestEditor::updateMode()
{
    m_resultBox->setVisible(m_resultRadio->isChecked());
    m_errorBox->setVisible(!m_resultRadio->isChecked());
    showProblem({});
}

void HeldRequestEditor::setRequest(const HeldRequest* request)
{
    m_holdId = request ? request->holdId : 0;
    const bool open = request && request->ended.isEmpty();
    if (!request)
        m_request->setMessage(tr("Select a held request to answer it."));
    else
        m_request->setPayload(request->request);
    for (QWidget* w :
         QList<QWidget*>{m_resultRadio, m_errorRadio, m_result, m_code, m_message, m_data, m_send, m_reject})
        w->setEnabled(open);
    showProblem(request && !open ? tr("This request has ended: %1.").arg(request->ended) : QString());
    Palette::setErrorText(m_problem, open); // how it ended is news, not a mistake
}

std::optional<RpcResult> HeldRequestEditor::answer(QString* error) const
{
    QString problem;
    if (m_resultRadio->isChecked()) {
        const QString text = m_result->toPlainText().trimmed();
        const auto value = text.isEmpty() ? std::optional<QJsonValue>(QJsonValue::Null)
                                          : JsonText::parseValue(text, &problem);
        if (!value) {
            *error = tr("Result: %1").arg(problem);
            return std::nullopt;
        }
        return RpcResult::success(*value);
    }
    QJsonValue data = QJsonValue::Undefined;
    const QString dataText = m_data->toPlainText().trimmed();
    if (!dataText.isEmpty()) {
        const auto value = JsonText::parseValue(dataText, &problem);
        if (!value) {
            *error = tr("Error data: %1").arg(problem);
            return std::nullopt;
        }
        data = *value;
    }
    const QString message = m_message->text().trimmed();
    return RpcResult::failure(m_code->value(), message.isEmpty() ? tr("error") : message, data);
}

QString HeldRequestEditor::problem() const
{
    return m_problem->isHidden() ? QString() : m_problem->text();
}

bool HeldRequestEditor::send()
{
    if (m_holdId == 0)
        return false;
    QString error;
    const auto result = answer(&error);
    if (!result) {
        showProblem(error);
        return false;
    }
    emit answerRequested(m_holdId, *result);
    return true;
}

void HeldRequestEditor::reject()
{
    if (m_holdId != 0)
        emit rejectRequested(m_holdId);
}

void HeldRequestEditor::showProblem(const QString& text)
{
    m_problem->setText(text);
    m_problem->setVisible(!text.isEmpty());
}

} // namespace rpcbench
