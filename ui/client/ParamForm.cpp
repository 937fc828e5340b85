#include "client/ParamForm.h"

#include "dispatch/Binder.h"
#include "util/JsonText.h"
#include "widgets/JsonHighlighter.h"
#include "widgets/NumberSpinBox.h"
#include "widgets/Palette.h"

#include <QCheckBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace rpcbench {

namespace {

bool usesJsonEditor(const ParamInfo& p)
{
    return p.variadic || p.type == ParamType::Array || p.type == ParamType::Object ||
           p.type == ParamType::Any;
}

QString typeHint(const ParamInfo& p)
{
    if (p.variadic)
        return QStringLiteral("JSON array of %1 (the remaining positional values)").arg(toString(p.type));
    switch (p.type) {
    case ParamType::Integer:
        return QStringLiteral("integer");
    case ParamType::Number:
        return QStringLiteral("number");
    case ParamType::String:
        return QStringLiteral("text");
    case ParamType::Boolean:
        return QStringLiteral("boolean");
    case ParamType::Array:
        return QStringLiteral("JSON array, e.g. [1, 2]");
    case ParamType::Object:
        return QStringLiteral("JSON object, e.g. {\"k\": 1}");
    case ParamType::Any:
        return QStringLiteral("any JSON value (plain text is sent as a string)");
    }
    return {};
}

QString expected(ParamType t)
{
    return t == ParamType::Any ? QStringLiteral("a JSON value")
           : t == ParamType::Integer || t == ParamType::Array || t == ParamType::Object
               ? QStringLiteral("an %1").arg(toString(t))
               : QStringLiteral("a %1").arg(toString(t));
}

// Tints an editor's background towards red, over whatever the palette's base colour is.
void setFlagged(QWidget* editor, bool flagged)
{
    editor->setProperty("invalid", flagged);
    if (!flagged) {
        editor->setPalette(QPalette());
        return;
    }
    QPalette pal = editor->parentWidget() ? editor->parentWidget()->palette() : editor->palette();
    const QColor base = pal.color(QPalette::Base);
    const auto mix = [](int a, int b) { return (a * 3 + b) / 4; };
    const QColor error = Palette::errorColor();
    pal.setColor(QPalette::Base, QColor(mix(base.red(), error.red()), mix(base.green(), error.green()),
                                        mix(base.blue(), error.blue())));
    editor->setPalette(pal);
}

} // namespace

ParamForm::ParamForm(QWidget* parent) : QWidget(parent), m_layout(new QFormLayout), m_note(new QLabel(this))
{
    m_note->setWordWrap(true);
    m_note->setObjectName(QStringLiteral("formNote"));
    m_layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_layout->setLabelAlignment(Qt::AlignRight | Qt::AlignTop);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_note);
    layout->addLayout(m_layout);
    layout->addStretch(1);
    clearMethod(tr("Pick a method to get a form for its parameters."));
}

void ParamForm::clearFields()
{
    while (m_layout->rowCount() > 0)
        m_layout->removeRow(0);
    m_fields.clear();
}

void ParamForm::clearMethod(const QString& note)
{
    clearFields();
    m_method = MethodInfo{};
    m_hasMethod = false;
    m_note->setText(note);
    m_note->show();
}

void ParamForm::setMethod(const MethodInfo& method)
{
    clearFields();
    m_method = method;
    m_hasMethod = true;
    m_note->setText(method.params.isEmpty() ? tr("%1 takes no parameters.").arg(method.name) : QString());
    m_note->setVisible(method.params.isEmpty());
    m_fields.reserve(size_t(method.params.size()));
    for (const ParamInfo& p : method.params) {
        m_fields.push_back(Field{p});
        Field& field = m_fields.back();
        QWidget* row = makeRow(field);
        QString label = p.name.toHtmlEscaped();
        if (p.isRequired())
            label += QStringLiteral(" <span style='color:%1'>*</span>").arg(Palette::errorColor().name());
        auto* name = new QLabel(label, this);
        name->setToolTip(p.isRequired() ? tr("Required") : tr("Optional"));
        name->setBuddy(field.editor);
        m_layout->addRow(name, row);
        if (isVisible()) { // now, not on the next event-loop turn: a click may already be on its way
            name->show();
            row->show();
        }
    }
    resetToDefaults();
}

QWidget* ParamForm::makeRow(Field& field)
{
    const ParamInfo& p = field.info;
    auto* row = new QWidget(this);
    field.editor = makeEditor(p);
    field.editor->setParent(row);
    field.editor->setObjectName(QStringLiteral("param_") + p.name);
    field.editor->setToolTip(p.description.isEmpty() ? typeHint(p)
                                                     : p.description + QLatin1Char('\n') + typeHint(p));
    field.tag = new QLabel(row);
    field.tag->setForegroundRole(QPalette::PlaceholderText);
    QFont italic = field.tag->font();
    italic.setItalic(true);
    field.tag->setFont(italic);
    field.hint = new QLabel(row);
    field.hint->setWordWrap(true);
    field.hint->setForegroundRole(QPalette::PlaceholderText);

    auto* line = new QHBoxLayout;
    line->setContentsMargins(0, 0, 0, 0);
    line->addWidget(field.editor, 1);
    line->addWidget(field.tag);
    auto* layout = new QVBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(1);
    layout->addLayout(line);
    layout->addWidget(field.hint);
    return row;
}

QWidget* ParamForm::makeEditor(const ParamInfo& p)
{
    const auto edited = [this] {
        updateMarks();
        if (!m_filling)
            emit changed();
    };
    if (usesJsonEditor(p)) {
        auto* edit = new QPlainTextEdit;
        edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        edit->setTabChangesFocus(true);
        edit->setPlaceholderText(typeHint(p));
        edit->setFixedHeight(edit->fontMetrics().lineSpacing() * 3 + 10);
        new JsonHighlighter(edit->document(), edit->palette().color(QPalette::Base).lightness() < 128);
        connect(edit, &QPlainTextEdit::textChanged, this, edited);
        return edit;
    }
    switch (p.type) {
    case ParamType::Integer:
    case ParamType::Number: {
        auto* spin = new NumberSpinBox(p.type == ParamType::Integer);
        spin->setPlaceholderText(typeHint(p));
        connect(spin, &NumberSpinBox::textChanged, this, edited);
        return spin;
    }
    case ParamType::Boolean: {
        auto* check = new QCheckBox(tr("true"));
        connect(check, &QCheckBox::toggled, this, [check, edited](bool on) {
            check->setText(on ? QStringLiteral("true") : QStringLiteral("false"));
            edited();
        });
        return check;
    }
    default: {
        auto* edit = new QLineEdit;
        edit->setPlaceholderText(typeHint(p));
        edit->setClearButtonEnabled(true);
        connect(edit, &QLineEdit::textChanged, this, edited);
        return edit;
    }
    }
}

std::optional<QJsonValue> ParamForm::fieldValue(const Field& field, QString* error) const
{
    error->clear();
    const ParamInfo& p = field.info;
    if (auto* spin = qobject_cast<NumberSpinBox*>(field.editor)) {
        *error = spin->error();
        return spin->value();
    }
    if (auto* check = qobject_cast<QCheckBox*>(field.editor))
        return QJsonValue(check->isChecked());
    if (auto* line = qobject_cast<QLineEdit*>(field.editor)) {
        if (line->text().isEmpty() && !p.isRequired())
            return std::nullopt;
        return QJsonValue(line->text());
    }
    const QString text = static_cast<QPlainTextEdit*>(field.editor)->toPlainText();
    if (text.trimmed().isEmpty())
        return std::nullopt;
    QString reason;
    std::optional<QJsonValue> v = JsonText::parseValue(text, &reason);
    if (!v && p.type == ParamType::Any && !p.variadic)
        return QJsonValue(text); // like `rpcbench call`: what is not JSON is a string
    if (!v) {
        *error = tr("not valid JSON: %1").arg(reason);
        return std::nullopt;
    }
    const ParamType type = p.variadic ? ParamType::Array : p.type;
    if (!valueMatches(type, *v)) {
        *error = tr("expected %1").arg(expected(type));
        return std::nullopt;
    }
    return v;
}

QJsonValue ParamForm::params(bool byName, QStringList* errors) const
{
    if (!m_hasMethod || m_fields.empty())
        return QJsonValue::Undefined;
    QJsonObject named;
    QJsonArray positional;
    QString skipped; // an optional parameter left empty: later ones cannot follow by position
    for (const Field& field : m_fields) {
        QString error;
        const std::optional<QJsonValue> v = fieldValue(field, &error);
        const QString& name = field.info.name;
        if (!error.isEmpty()) {
            *errors << QStringLiteral("%1: %2").arg(name, error);
        } else if (!v) {
            if (field.info.isRequired())
                *errors << tr("%1: required").arg(name);
            else if (skipped.isEmpty())
                skipped = name;
        } else if (byName) {
            named.insert(name, *v);
        } else if (!skipped.isEmpty()) {
            *errors
                << tr("%1: cannot follow the empty '%2' by position (switch to by name)").arg(name, skipped);
        } else if (field.info.variadic) {
            for (const QJsonValue& item : v->toArray())
                positional.append(item);
        } else {
            positional.append(*v);
        }
    }
    return byName ? QJsonValue(named) : QJsonValue(positional);
}

void ParamForm::setFieldEmpty(const Field& field)
{
    if (auto* spin = qobject_cast<NumberSpinBox*>(field.editor))
        spin->setText(QString());
    else if (auto* check = qobject_cast<QCheckBox*>(field.editor))
        check->setChecked(false);
    else if (auto* line = qobject_cast<QLineEdit*>(field.editor))
        line->clear();
    else
        static_cast<QPlainTextEdit*>(field.editor)->clear();
}

void ParamForm::setFieldValue(const Field& field, const QJsonValue& value)
{
    const QString json = QString::fromUtf8(JsonText::serialize(value));
    if (auto* spin = qobject_cast<NumberSpinBox*>(field.editor))
        spin->setText(json);
    else if (auto* check = qobject_cast<QCheckBox*>(field.editor))
        check->setChecked(value.toBool());
    else if (auto* line = qobject_cast<QLineEdit*>(field.editor))
        line->setText(value.isString() ? value.toString() : json);
    else
        static_cast<QPlainTextEdit*>(field.editor)->setPlainText(json);
}

void ParamForm::setParams(const QJsonValue& params)
{
    m_filling = true;
    for (const Field& field : m_fields)
        setFieldEmpty(field);
    if (params.isArray()) {
        const QJsonArray array = params.toArray();
        for (size_t i = 0; i < m_fields.size() && qsizetype(i) < array.size(); ++i) {
            const Field& field = m_fields[i];
            if (!field.info.variadic) {
                setFieldValue(field, array.at(qsizetype(i)));
                continue;
            }
            QJsonArray rest;
            for (qsizetype j = qsizetype(i); j < array.size(); ++j)
                rest.append(array.at(j));
            setFieldValue(field, rest);
        }
    } else if (params.isObject()) {
        const QJsonObject object = params.toObject();
        for (const Field& field : m_fields) {
            if (object.contains(field.info.name))
                setFieldValue(field, object.value(field.info.name));
        }
    }
    m_filling = false;
    updateMarks();
}

void ParamForm::resetToDefaults()
{
    m_filling = true;
    for (const Field& field : m_fields) {
        if (field.info.defaultValue && !field.info.defaultValue->isUndefined())
            setFieldValue(field, *field.info.defaultValue);
        else
            setFieldEmpty(field);
    }
    m_filling = false;
    updateMarks();
}

void ParamForm::updateMarks()
{
    for (const Field& field : m_fields) {
        QString error;
        const std::optional<QJsonValue> v = fieldValue(field, &error);
        const ParamInfo& p = field.info;
        const bool hasDefault = p.defaultValue && !p.defaultValue->isUndefined();
        if (hasDefault && v && *v == *p.defaultValue)
            field.tag->setText(tr("default"));
        else if (hasDefault)
            field.tag->setText(
                tr("default: %1").arg(QString::fromUtf8(JsonText::serialize(*p.defaultValue))));
        else
            field.tag->setText(p.isRequired() ? QString() : tr("optional"));
        setFlagged(field.editor, !error.isEmpty());
        field.hint->setText(error.isEmpty() ? p.description : error);
        Palette::setErrorText(field.hint, !error.isEmpty());
        field.hint->setVisible(!field.hint->text().isEmpty());
    }
}

QStringList ParamForm::check(const MethodInfo& method, const QJsonValue& params)
{
    // The server's own binding rules and wording: what the form accepts, the server accepts.
    return Binder::check(method, params);
}

QWidget* ParamForm::editor(const QString& name) const
{
    for (const Field& field : m_fields) {
        if (field.info.name == name)
            return field.editor;
    }
    return nullptr;
}

QList<QWidget*> ParamForm::editors() const
{
    QList<QWidget*> list;
    for (const Field& field : m_fields)
        list << field.editor;
    return list;
}

QString ParamForm::hint(const QString& name) const
{
    for (const Field& field : m_fields) {
        if (field.info.name == name)
            return field.hint->text();
    }
    return {};
}

} // namespace rpcbench
