#include "collections/SavedCallEditor.h"

#include "load/LoadMix.h"
#include "util/JsonText.h"
#include "widgets/JsonHighlighter.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace rpcbench {

namespace {

QString indented(const QJsonValue& value)
{
    if (value.isUndefined())
        return {};
    return QString::fromUtf8(JsonText::serialize(value, true)).trimmed();
}

// A JSON text area's value; an empty text is `undefined` (the member is left out).
std::optional<QJsonValue> parseArea(const QPlainTextEdit* edit, const QString& what, QString* error)
{
    const QString text = edit->toPlainText().trimmed();
    if (text.isEmpty())
        return QJsonValue(QJsonValue::Undefined);
    QString why;
    auto value = JsonText::parseValue(text, &why);
    if (!value)
        *error = QObject::tr("%1: %2").arg(what, why);
    return value;
}

} // namespace

SavedCallEditor::SavedCallEditor(QWidget* parent)
    : QWidget(parent), m_name(new QLineEdit(this)), m_description(new QLineEdit(this)),
      m_target(new QLineEdit(this)), m_dialect(new QComboBox(this)), m_method(new QLineEdit(this)),
      m_params(jsonEdit(QStringLiteral("callParamsEdit"), tr("[1, 2] or {\"a\": 1}; empty: no params"))),
      m_notification(new QCheckBox(tr("Notification (no reply)"), this)), m_timeout(new QSpinBox(this)),
      m_weight(new QDoubleSpinBox(this)),
      m_assertions(jsonEdit(QStringLiteral("callAssertionsEdit"),
                            tr("[{\"result\": true}, {\"pointer\": \"/sum\", \"equals\": 3}]"))),
      m_captures(jsonEdit(QStringLiteral("callCapturesEdit"), tr("{\"session\": \"/session\"}"))),
      m_error(new QLabel(this)), m_apply(new QPushButton(tr("Apply"), this))
{
    setObjectName(QStringLiteral("savedCallEditor"));
    m_name->setObjectName(QStringLiteral("callNameEdit"));
    m_target->setObjectName(QStringLiteral("callTargetEdit"));
    m_target->setPlaceholderText(tr("empty: the client's URL; {{variables}} allowed"));
    m_method->setObjectName(QStringLiteral("callMethodEdit"));
    m_dialect->addItems({QStringLiteral("2.0"), QStringLiteral("1.0"), QStringLiteral("classic")});
    m_timeout->setRange(0, 3'600'000);
    m_timeout->setSpecialValueText(tr("default"));
    m_timeout->setSuffix(tr(" ms"));
    m_weight->setObjectName(QStringLiteral("callWeightEdit"));
    m_weight->setDecimals(3); // LoadMix counts weights to three decimals
    // Above kMaxCycle a mix is refused whatever the other weights (LoadMix::validate).
    m_weight->setRange(0.001, LoadMix::kMaxCycle);
    m_weight->setValue(1.0);
    m_weight->setToolTip(tr("The call's relative share of the calls sent when this collection runs "
                            "as load (the Load panel, or rpcbench bench --from-collection): a call "
                            "of weight 3 is sent three times as often as one of weight 1."));
    m_error->setObjectName(QStringLiteral("callEditorError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828"));
    m_apply->setObjectName(QStringLiteral("callApplyButton"));

    auto* form = new QFormLayout;
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("Description"), m_description);
    form->addRow(tr("Target"), m_target);
    form->addRow(tr("Dialect"), m_dialect);
    form->addRow(tr("Method"), m_method);
    form->addRow(tr("Params"), m_params);
    form->addRow(QString(), m_notification);
    form->addRow(tr("Timeout"), m_timeout);
    form->addRow(tr("Load weight"), m_weight);
    form->addRow(tr("Assertions"), m_assertions);
    form->addRow(tr("Captures"), m_captures);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_apply, 0, Qt::AlignRight);
    connect(m_apply, &QPushButton::clicked, this, &SavedCallEditor::apply);
    clear();
}

QPlainTextEdit* SavedCallEditor::jsonEdit(const QString& objectName, const QString& placeholder)
{
    auto* edit = new QPlainTextEdit(this);
    edit->setObjectName(objectName);
    edit->setPlaceholderText(placeholder);
    edit->setTabChangesFocus(true);
    edit->setMinimumHeight(48);
    edit->setFont(QFont(QStringLiteral("monospace")));
    new JsonHighlighter(edit->document());
    return edit;
}

void SavedCallEditor::setCall(const SavedCall& call)
{
    m_original = call;
    m_name->setText(call.name);
    m_description->setText(call.description);
    m_target->setText(call.target);
    m_dialect->setCurrentText(call.dialect);
    m_method->setText(call.method);
    m_method->setEnabled(!call.isBatch());
    m_params->setPlainText(call.isBatch() ? QString() : indented(call.params));
    m_params->setEnabled(!call.isBatch());
    m_notification->setChecked(call.notification);
    m_timeout->setValue(call.timeoutMs);
    m_weight->setValue(call.weight);
    m_weightShown = m_weight->value();
    const QJsonObject json = call.toJson();
    m_assertions->setPlainText(indented(json.value(QStringLiteral("assert"))));
    m_captures->setPlainText(indented(json.value(QStringLiteral("capture"))));
    m_error->clear();
    setEnabled(true);
}

void SavedCallEditor::clear()
{
    setCall(SavedCall{});
    setEnabled(false);
}

std::optional<SavedCall> SavedCallEditor::edited(QString* error) const
{
    // Built as the file would hold it, so the form is checked exactly like a hand-edited file.
    QJsonObject json = m_original.toJson();
    const auto setText = [&json](const char* key, const QString& text) {
        if (text.trimmed().isEmpty())
            json.remove(QLatin1String(key));
        else
            json.insert(QLatin1String(key), text.trimmed());
    };
    setText("name", m_name->text());
    setText("description", m_description->text());
    setText("target", m_target->text());
    json.insert(QStringLiteral("dialect"), m_dialect->currentText());
    if (!m_original.isBatch())
        json.insert(QStringLiteral("method"), m_method->text().trimmed());
    json.remove(QStringLiteral("notification"));
    json.remove(QStringLiteral("timeoutMs"));
    if (m_notification->isChecked())
        json.insert(QStringLiteral("notification"), true);
    if (m_timeout->value() > 0)
        json.insert(QStringLiteral("timeoutMs"), m_timeout->value());
    // Untouched, the call keeps its own weight (0.0005 would otherwise become the box's 0.001).
    if (m_weight->value() != m_weightShown) {
        json.remove(QStringLiteral("weight"));
        if (m_weight->value() != 1.0)
            json.insert(QStringLiteral("weight"), m_weight->value());
    }
    const std::pair<const QPlainTextEdit*, const char*> areas[] = {
        {m_params, "params"}, {m_assertions, "assert"}, {m_captures, "capture"}};
    for (const auto& [edit, key] : areas) {
        if (edit == m_params && m_original.isBatch())
            continue;
        const auto value = parseArea(edit, QLatin1String(key), error);
        if (!value)
            return std::nullopt;
        if (value->isUndefined())
            json.remove(QLatin1String(key));
        else
            json.insert(QLatin1String(key), *value);
    }
    return SavedCall::fromJson(json, error);
}

QString SavedCallEditor::errorText() const
{
    return m_error->text();
}

bool SavedCallEditor::apply()
{
    QString error;
    const auto call = edited(&error);
    if (!call) {
        m_error->setText(error.section(QLatin1Char('\n'), 0, 0));
        return false;
    }
    m_error->clear();
    m_original = *call;
    emit applied(*call);
    return true;
}

} // namespace rpcbench
