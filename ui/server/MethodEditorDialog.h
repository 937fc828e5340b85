#pragma once
// "New method" / "Edit" in the server panel: name, parameters (name, type, default,
// description), result description and the handler (canned result, canned error, a
// JavaScript function body, a subscription that pushes events (SubscribeHandlerWidget), or the
// unsubscribe that ends one). Save checks everything, script syntax included, and applies the
// method to the running server; a mistake is shown (script errors with their line, the
// cursor put on it) and nothing changes. "Check" compiles the script and then runs it with
// sample arguments on the script threads (ScriptTrial); the outcome arrives later, through
// scriptChecked(). Window-modal with open(), never exec().

#include "mock/ScriptTrial.h"
#include "mock/UserMethod.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QTableWidget;

namespace rpcbench {

class MockService;
class SubscribeHandlerWidget;

class MethodEditorDialog : public QDialog
{
    Q_OBJECT
public:
    enum ParamColumn : int {
        NameColumn,
        TypeColumn,
        DefaultColumn,
        OptionalColumn,
        DescriptionColumn,
        ColumnCount
    };

    // Edits the user method called `existing`, or creates a new one when it is empty.
    MethodEditorDialog(MockService& mocks, const QString& existing, QWidget* parent = nullptr);

    void setMethod(const UserMethod& method);
    // The method the widgets describe; nullopt with *error when a JSON field does not parse.
    std::optional<UserMethod> method(QString* error) const;
    QString problem() const; // the mistake shown under the form, empty when none

    QTableWidget* paramsTable() const { return m_params; }
    int addParam(const QString& name = {}, ParamType type = ParamType::Any); // returns the row

public slots:
    bool save(); // validates and applies; accepts the dialog on success
    // Compiles the script (false and the mistake shown when it does not compile), then starts
    // a run with sample arguments whose outcome scriptChecked() brings.
    bool checkScript();

signals:
    void saved(const QString& name);
    // The outcome of checkScript()'s sample run, as shown under the form.
    void scriptChecked(const rpcbench::ScriptTrialReport& report);

private:
    QWidget* buildSignaturePage();
    QWidget* buildHandlerPage();
    QWidget* buildScriptPage();
    QWidget* buildUnsubscribePage();
    QComboBox* typeCombo(ParamType type) const;
    std::optional<ParamInfo> paramAt(int row, QString* error) const;
    void updateScriptHeader();
    bool checkSyntax(const UserMethod& method);
    void showTrialReport(const ScriptTrialReport& report);
    // `error`: shown in the error colour; a script line puts the cursor there.
    void showProblem(const QString& text, int scriptLine = 0, bool error = true);

    MockService& m_mocks;
    QString m_existing;
    bool m_enabled = true;

    QLineEdit* m_name;
    QLineEdit* m_description;
    QTableWidget* m_params;
    QComboBox* m_resultType;
    QLineEdit* m_resultDescription;
    QComboBox* m_kind;
    QStackedWidget* m_pages;
    QPlainTextEdit* m_resultJson;
    QSpinBox* m_errorCode;
    QLineEdit* m_errorMessage;
    QPlainTextEdit* m_errorData;
    QLabel* m_scriptHeader;
    QPlainTextEdit* m_script;
    SubscribeHandlerWidget* m_subscribe;
    QPushButton* m_check = nullptr;
    QLabel* m_problem;
    ScriptTrial* m_trial = nullptr; // null without a script engine
};

} // namespace rpcbench
