#pragma once
// Edits the saved call selected in the Collections panel: name, description, target, dialect,
// method, params (JSON), notification, timeout, load weight, assertions (a JSON array, the
// collection file's "assert") and captures (a JSON object). Apply checks everything the way a
// collection file is read (SavedCall::fromJson) and shows the one-line error, or emits
// applied() with the call.
// What the form has no field for (a batch, headers) is kept as it was, and so is a load weight
// the spin box cannot show exactly (finer than 3 decimals) unless it is edited.
#include "collection/SavedCall.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace rpcbench {

class SavedCallEditor : public QWidget
{
    Q_OBJECT
public:
    explicit SavedCallEditor(QWidget* parent = nullptr);

    void setCall(const SavedCall& call); // fills the form; enables it
    void clear();                        // nothing selected: an empty, disabled form
    // The form as a call; nullopt with *error (one line) when something does not parse.
    std::optional<SavedCall> edited(QString* error) const;
    QString errorText() const;

    QLineEdit* nameEdit() const { return m_name; }
    QLineEdit* targetEdit() const { return m_target; }
    QLineEdit* methodEdit() const { return m_method; }
    QPlainTextEdit* paramsEdit() const { return m_params; }
    QPlainTextEdit* assertionsEdit() const { return m_assertions; }
    QPlainTextEdit* capturesEdit() const { return m_captures; }
    QDoubleSpinBox* weightEdit() const { return m_weight; }
    QPushButton* applyButton() const { return m_apply; }

public slots:
    bool apply(); // false (and the error shown) when the form does not parse

signals:
    void applied(const rpcbench::SavedCall& call);

private:
    QPlainTextEdit* jsonEdit(const QString& objectName, const QString& placeholder);

    SavedCall m_original;
    QLineEdit* m_name;
    QLineEdit* m_description;
    QLineEdit* m_target;
    QComboBox* m_dialect;
    QLineEdit* m_method;
    QPlainTextEdit* m_params;
    QCheckBox* m_notification;
    QSpinBox* m_timeout;
    QDoubleSpinBox* m_weight;
    double m_weightShown = 1.0; // what setCall() put in m_weight (rounded to its decimals)
    QPlainTextEdit* m_assertions;
    QPlainTextEdit* m_captures;
    QLabel* m_error;
    QPushButton* m_apply;
};

} // namespace rpcbench
