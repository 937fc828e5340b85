#include "server/MethodEditorDialog.h"

#include "mock/MockService.h"
#include "mock/ScriptRunner.h"
#include "openrpc/SchemaSampler.h"
#include "server/SubscribeHandlerWidget.h"
#include "util/JsonText.h"
#include "widgets/Palette.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTextBlock>
#include <QVBoxLayout>

#include <limits>

namespace rpcbench {

namespace {

const ParamType kTypes[] = {ParamType::Any,     ParamType::String, ParamType::Number, ParamType::Integer,
                            ParamType::Boolean, ParamType::Array,  ParamType::Object};

QPlainTextEdit* codeEdit(const QString& name, QWidget* parent)
{
    auto* edit = new QPlainTextEdit(parent);
    edit->setObjectName(name);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setTabChangesFocus(true);
    return edit;
}

// Variadic parameters have no editor column; the flag rides along on the name cell.
constexpr int kVariadicRole = Qt::UserRole + 1;

} // namespace

MethodEditorDialog::MethodEditorDialog(MockService& mocks, const QString& existing, QWidget* parent)
    : QDialog(parent), m_mocks(mocks), m_existing(existing), m_name(new QLineEdit(this)),
      m_description(new QLineEdit(this)), m_params(new QTableWidget(0, ColumnCount, this)),
      m_resultType(typeCombo(ParamType::Any)), m_resultDescription(new QLineEdit(this)),
      m_kind(new QComboBox(this)), m_pages(new QStackedWidget(this)),
      m_resultJson(codeEdit(QStringLiteral("resultJsonEdit"), this)), m_errorCode(new QSpinBox(this)),
      m_errorMessage(new QLineEdit(this)), m_errorData(codeEdit(QStringLiteral("errorDataEdit"), this)),
      m_scriptHeader(new QLabel(this)), m_script(codeEdit(QStringLiteral("scriptEdit"), this)),
      m_subscribe(new SubscribeHandlerWidget(this)), m_problem(new QLabel(this))
{
    setObjectName(QStringLiteral("methodEditorDialog"));
    setWindowTitle(existing.isEmpty() ? tr("New method") : tr("Edit %1").arg(existing));
    setAttribute(Qt::WA_DeleteOnClose);
    m_problem->setObjectName(QStringLiteral("methodProblemLabel"));
    m_problem->setWordWrap(true);
    Palette::setErrorText(m_problem);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Save)->setObjectName(QStringLiteral("saveMethodButton"));
    buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelMethodButton"));
    connect(buttons, &QDialogButtonBox::accepted, this, &MethodEditorDialog::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(buildSignaturePage());
    layout->addWidget(buildHandlerPage(), 1);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
    resize(720, 640);

    if (m_mocks.scripts()) {
        m_trial = new ScriptTrial(m_mocks.scripts(), this);
        connect(m_trial, &ScriptTrial::finished, this, &MethodEditorDialog::showTrialReport);
    }

    UserMethod initial;
    initial.result = QJsonObject{};
    setMethod(m_mocks.method(existing).value_or(initial));
}

QComboBox* MethodEditorDialog::typeCombo(ParamType type) const
{
    auto* combo = new QComboBox;
    for (ParamType t : kTypes)
        combo->addItem(toString(t), int(t));
    combo->setCurrentIndex(combo->findData(int(type)));
    return combo;
}

QWidget* MethodEditorDialog::buildSignaturePage()
{
    auto* page = new QWidget(this);
    m_name->setObjectName(QStringLiteral("methodNameEdit"));
    m_name->setPlaceholderText(tr("e.g. user.get"));
    m_description->setObjectName(QStringLiteral("methodDescriptionEdit"));
    m_params->setObjectName(QStringLiteral("paramsTable"));
    m_params->setHorizontalHeaderLabels(
        {tr("Name"), tr("Type"), tr("Default (JSON)"), tr("Optional"), tr("Description")});
    m_params->horizontalHeader()->setStretchLastSection(true);
    m_params->verticalHeader()->hide();
    m_params->setMinimumHeight(120);
    m_resultType->setParent(page);
    m_resultType->setObjectName(QStringLiteral("resultTypeCombo"));
    m_resultDescription->setObjectName(QStringLiteral("resultDescriptionEdit"));

    auto* add = new QPushButton(tr("Add parameter"), page);
    add->setObjectName(QStringLiteral("addParamButton"));
    auto* remove = new QPushButton(tr("Remove parameter"), page);
    remove->setObjectName(QStringLiteral("removeParamButton"));
    connect(add, &QPushButton::clicked, this, [this] { m_params->setCurrentCell(addParam(), NameColumn); });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_params->currentRow() >= 0)
            m_params->removeRow(m_params->currentRow());
        updateScriptHeader();
    });
    connect(m_params, &QTableWidget::itemChanged, this, &MethodEditorDialog::updateScriptHeader);
    connect(m_name, &QLineEdit::textChanged, this, &MethodEditorDialog::updateScriptHeader);

    auto* paramButtons = new QHBoxLayout;
    paramButtons->addWidget(add);
    paramButtons->addWidget(remove);
    paramButtons->addStretch();
    auto* result = new QHBoxLayout;
    result->addWidget(m_resultType);
    result->addWidget(m_resultDescription, 1);
    auto* form = new QFormLayout(page);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("Description"), m_description);
    form->addRow(tr("Parameters"), m_params);
    form->addRow(QString(), paramButtons);
    form->addRow(tr("Result"), result);
    return page;
}

QWidget* MethodEditorDialog::buildHandlerPage()
{
    auto* page = new QWidget(this);
    m_kind->setObjectName(QStringLiteral("handlerKindCombo"));
    m_kind->addItem(tr("Canned result"), int(UserHandlerKind::Result));
    m_kind->addItem(tr("Canned error"), int(UserHandlerKind::Error));
    m_kind->addItem(tr("JavaScript"), int(UserHandlerKind::Script));
    m_kind->addItem(tr("Subscription (pushes events)"), int(UserHandlerKind::Subscribe));
    m_kind->addItem(tr("Unsubscribe"), int(UserHandlerKind::Unsubscribe));
    connect(m_kind, &QComboBox::currentIndexChanged, m_pages, &QStackedWidget::setCurrentIndex);

    m_resultJson->setPlaceholderText(tr("The result as JSON, e.g. {\"id\": 1}"));
    m_pages->addWidget(m_resultJson);

    auto* errorPage = new QWidget(m_pages);
    m_errorCode->setObjectName(QStringLiteral("errorCodeSpin"));
    m_errorCode->setRange(std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
    m_errorMessage->setObjectName(QStringLiteral("errorMessageEdit"));
    m_errorData->setPlaceholderText(tr("Optional data as JSON (left out when empty)"));
    auto* errorForm = new QFormLayout(errorPage);
    errorForm->addRow(tr("Code"), m_errorCode);
    errorForm->addRow(tr("Message"), m_errorMessage);
    errorForm->addRow(tr("Data"), m_errorData);
    m_pages->addWidget(errorPage);
    m_pages->addWidget(buildScriptPage());
    m_subscribe->setObjectName(QStringLiteral("subscribeHandler"));
    m_pages->addWidget(m_subscribe);
    m_pages->addWidget(buildUnsubscribePage());

    auto* layout = new QFormLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addRow(tr("Handler"), m_kind);
    layout->addRow(m_pages);
    return page;
}

QWidget* MethodEditorDialog::buildUnsubscribePage()
{
    auto* label = new QLabel(
        tr("Ends the subscription a \"Subscription\" method of this server started: its id is the "
           "first declared parameter, or params[0], or params.subscription. Answers true, or false "
           "for an id that is unknown or already ended."),
        m_pages);
    label->setObjectName(QStringLiteral("unsubscribeHint"));
    label->setWordWrap(true);
    label->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    return label;
}

QWidget* MethodEditorDialog::buildScriptPage()
{
    auto* scriptPage = new QWidget(m_pages);
    m_scriptHeader->setObjectName(QStringLiteral("scriptHeaderLabel"));
    m_scriptHeader->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_script->setPlaceholderText(
        tr("return a + b;\n\n"
           "// Each parameter is a variable (a, b). params is the whole params value as sent:\n"
           "// an array by position ([1, 2]), an object by name ({\"a\": 1, \"b\": 2}), undefined\n"
           "// when absent; e.g. return Array.isArray(params) ? params[0] : params.a;\n"
           "// throw {code, message, data} to answer a JSON-RPC error."));
    m_scriptHeader->setToolTip(
        tr("The parameters are variables; params holds the params as sent (array, object or "
           "undefined), unless a parameter is called params"));
    m_check = new QPushButton(tr("Check"), scriptPage);
    m_check->setObjectName(QStringLiteral("checkScriptButton"));
    m_check->setToolTip(tr("Compile the script, then run it with sample arguments (each parameter's "
                           "default, or 1, \"text\", true, [], {}) by name and by position, with "
                           "the time limit of real calls"));
    connect(m_check, &QPushButton::clicked, this, &MethodEditorDialog::checkScript);
    auto* closing = new QLabel(QStringLiteral("}"), scriptPage);
    closing->setFont(m_scriptHeader->font());
    auto* scriptLayout = new QVBoxLayout(scriptPage);
    scriptLayout->setContentsMargins(0, 0, 0, 0);
    scriptLayout->addWidget(m_scriptHeader);
    scriptLayout->addWidget(m_script, 1);
    auto* footer = new QHBoxLayout;
    footer->addWidget(closing);
    footer->addStretch();
    footer->addWidget(m_check);
    scriptLayout->addLayout(footer);
    return scriptPage;
}

int MethodEditorDialog::addParam(const QString& name, ParamType type)
{
    const int row = m_params->rowCount();
    m_params->insertRow(row);
    m_params->setItem(row, NameColumn, new QTableWidgetItem(name));
    m_params->setCellWidget(row, TypeColumn, typeCombo(type));
    m_params->setItem(row, DefaultColumn, new QTableWidgetItem);
    auto* optional = new QTableWidgetItem;
    optional->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
    optional->setCheckState(Qt::Unchecked);
    optional->setToolTip(tr("Optional without a default: absent (undefined in scripts) when not given"));
    m_params->setItem(row, OptionalColumn, optional);
    m_params->setItem(row, DescriptionColumn, new QTableWidgetItem);
    updateScriptHeader();
    return row;
}

void MethodEditorDialog::setMethod(const UserMethod& m)
{
    m_name->setText(m.name);
    m_description->setText(m.description);
    m_params->setRowCount(0);
    for (const ParamInfo& p : m.params) {
        const int row = addParam(p.name, p.type);
        m_params->item(row, NameColumn)->setData(kVariadicRole, p.variadic);
        if (p.defaultValue && !p.defaultValue->isUndefined())
            m_params->item(row, DefaultColumn)
                ->setText(QString::fromUtf8(JsonText::serialize(*p.defaultValue)));
        m_params->item(row, OptionalColumn)
            ->setCheckState(p.defaultValue && p.defaultValue->isUndefined() ? Qt::Checked : Qt::Unchecked);
        m_params->item(row, DescriptionColumn)->setText(p.description);
    }
    m_resultType->setCurrentIndex(m_resultType->findData(int(m.resultType)));
    m_resultDescription->setText(m.resultDescription);
    m_kind->setCurrentIndex(m_kind->findData(int(m.kind)));
    m_resultJson->setPlainText(QString::fromUtf8(JsonText::serialize(m.result, true)));
    m_errorCode->setValue(m.error.code);
    m_errorMessage->setText(m.error.message);
    m_errorData->setPlainText(
        m.error.data.isUndefined() ? QString() : QString::fromUtf8(JsonText::serialize(m.error.data, true)));
    m_script->setPlainText(m.script);
    m_subscribe->setSettings(m.subscription);
    m_enabled = m.enabled;
    updateScriptHeader();
}

std::optional<ParamInfo> MethodEditorDialog::paramAt(int row, QString* error) const
{
    ParamInfo p;
    p.name = m_params->item(row, NameColumn)->text().trimmed();
    p.variadic = m_params->item(row, NameColumn)->data(kVariadicRole).toBool();
    p.type = ParamType(static_cast<QComboBox*>(m_params->cellWidget(row, TypeColumn))->currentData().toInt());
    p.description = m_params->item(row, DescriptionColumn)->text();
    const QString defaultText = m_params->item(row, DefaultColumn)->text().trimmed();
    if (!defaultText.isEmpty()) {
        QString problem;
        auto value = JsonText::parseValue(defaultText, &problem);
        // A bare word for a string parameter means that string; anything else must be JSON.
        if (!value && p.type == ParamType::String)
            value = QJsonValue(defaultText);
        if (!value) {
            *error = tr("parameter '%1': the default is not valid JSON (%2)").arg(p.name, problem);
            return std::nullopt;
        }
        p.defaultValue = *value;
    } else if (m_params->item(row, OptionalColumn)->checkState() == Qt::Checked) {
        p.defaultValue = QJsonValue(QJsonValue::Undefined);
    }
    return p;
}

std::optional<UserMethod> MethodEditorDialog::method(QString* error) const
{
    UserMethod m;
    m.name = m_name->text().trimmed();
    m.description = m_description->text();
    for (int row = 0; row < m_params->rowCount(); ++row) {
        auto p = paramAt(row, error);
        if (!p)
            return std::nullopt;
        m.params.append(*p);
    }
    m.resultType = ParamType(m_resultType->currentData().toInt());
    m.resultDescription = m_resultDescription->text();
    m.kind = UserHandlerKind(m_kind->currentData().toInt());
    m.enabled = m_enabled;
    QString problem;
    if (m.kind == UserHandlerKind::Result) {
        const QString text = m_resultJson->toPlainText().trimmed();
        auto value = text.isEmpty() ? std::optional<QJsonValue>(QJsonValue::Null)
                                    : JsonText::parseValue(text, &problem);
        if (!value) {
            *error = tr("the result is not valid JSON (%1)").arg(problem);
            return std::nullopt;
        }
        m.result = *value;
    } else if (m.kind == UserHandlerKind::Error) {
        m.error.code = m_errorCode->value();
        m.error.message = m_errorMessage->text();
        const QString data = m_errorData->toPlainText().trimmed();
        if (!data.isEmpty()) {
            auto value = JsonText::parseValue(data, &problem);
            if (!value) {
                *error = tr("the error data is not valid JSON (%1)").arg(problem);
                return std::nullopt;
            }
            m.error.data = *value;
        }
    } else if (m.kind == UserHandlerKind::Script) {
        m.script = m_script->toPlainText();
    } else if (m.kind == UserHandlerKind::Subscribe) {
        const auto settings = m_subscribe->settings(error);
        if (!settings)
            return std::nullopt;
        m.subscription = *settings;
    }
    return m;
}

QString MethodEditorDialog::problem() const
{
    return m_problem->text();
}

void MethodEditorDialog::showProblem(const QString& text, int scriptLine, bool error)
{
    m_problem->setText(text);
    Palette::setErrorText(m_problem, error);
    if (scriptLine <= 0)
        return;
    // Put the cursor on the offending line so it can be fixed at once.
    const QTextBlock block = m_script->document()->findBlockByNumber(scriptLine - 1);
    if (!block.isValid())
        return;
    QTextCursor cursor(block);
    cursor.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
    m_script->setTextCursor(cursor);
    m_script->setFocus();
}

bool MethodEditorDialog::checkSyntax(const UserMethod& m)
{
    if (const auto p = m_mocks.scripts()->check(m.scriptFunction())) {
        showProblem(tr("Script %1").arg(p->toString()), p->line);
        return false;
    }
    return true;
}

bool MethodEditorDialog::checkScript()
{
    QString error;
    const auto m = method(&error);
    if (!m) {
        showProblem(error);
        return false;
    }
    if (m->kind != UserHandlerKind::Script || !m_trial) {
        showProblem({});
        return true;
    }
    if (!checkSyntax(*m))
        return false;
    showProblem(tr("The script compiles."), 0, false);
    QJsonArray samples;
    for (const ParamInfo& p : m->params)
        samples.append(SchemaSampler::sampleArgument(p));
    // The button tells that a run is on; the script may take up to the time limit.
    m_check->setEnabled(false);
    m_check->setText(tr("Checking…"));
    m_trial->start(*m, samples);
    return true;
}

void MethodEditorDialog::showTrialReport(const ScriptTrialReport& report)
{
    m_check->setEnabled(true);
    m_check->setText(tr("Check"));
    showProblem(tr("The script compiles. Sample run: %1").arg(report.text), report.ok ? 0 : report.line,
                !report.ok);
    emit scriptChecked(report);
}

bool MethodEditorDialog::save()
{
    QString error;
    const auto m = method(&error);
    if (!m) {
        showProblem(error);
        return false;
    }
    if (m->kind == UserHandlerKind::Script && m_mocks.scripts() && !checkSyntax(*m))
        return false;
    const bool ok =
        m_existing.isEmpty() ? m_mocks.addMethod(*m, &error) : m_mocks.updateMethod(m_existing, *m, &error);
    if (!ok) {
        showProblem(error);
        return false;
    }
    showProblem({});
    emit saved(m->name);
    accept();
    return true;
}

void MethodEditorDialog::updateScriptHeader()
{
    QStringList names;
    for (int row = 0; row < m_params->rowCount(); ++row) {
        if (const QTableWidgetItem* item = m_params->item(row, NameColumn))
            names << item->text().trimmed();
    }
    const QString name = m_name->text().trimmed();
    m_scriptHeader->setText(QStringLiteral("function %1(%2) {")
                                .arg(name.isEmpty() ? QStringLiteral("method") : name, names.join(u", ")));
}

} // namespace rpcbench
