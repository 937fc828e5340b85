#pragma once
// The call form generated from a method's signature: one typed editor per parameter (number
// spin boxes, line edits for strings, check boxes for booleans, a JSON editor for arrays,
// objects and "any"), defaults pre-filled and tagged, required ones starred, and invalid
// values flagged in place with the reason.

#include "dispatch/MethodInfo.h"

#include <QJsonValue>
#include <QWidget>

#include <vector>

class QFormLayout;
class QLabel;

namespace rpcbench {

class ParamForm : public QWidget
{
    Q_OBJECT
public:
    explicit ParamForm(QWidget* parent = nullptr);

    void setMethod(const MethodInfo& method);
    void clearMethod(const QString& note); // no signature known (e.g. a classic server)
    bool hasMethod() const { return m_hasMethod; }
    const MethodInfo& method() const { return m_method; }

    // The params the editors describe: an array (by position) or an object (by name);
    // Undefined when the method takes none. Problems ("b: expected a number") go to *errors.
    QJsonValue params(bool byName, QStringList* errors) const;
    // Shows `params` in the editors (values of the wrong type are shown as typed, and flagged).
    void setParams(const QJsonValue& params);
    void resetToDefaults();

    // Checks params written by hand against the signature (used for the raw JSON tab): every
    // problem Binder::check finds, worded as the server would answer.
    static QStringList check(const MethodInfo& method, const QJsonValue& params);

    QWidget* editor(const QString& name) const; // tests
    QList<QWidget*> editors() const;            // in parameter order (the keyboard order)
    QString hint(const QString& name) const;    // the error or description under an editor

signals:
    void changed(); // the user edited a value

private:
    struct Field
    {
        ParamInfo info;
        QWidget* editor = nullptr;
        QLabel* tag = nullptr;  // "default" / "optional"
        QLabel* hint = nullptr; // description, or the error in red
    };

    QWidget* makeEditor(const ParamInfo& param);
    QWidget* makeRow(Field& field);
    // nullopt with an empty *error: left empty (omitted).
    std::optional<QJsonValue> fieldValue(const Field& field, QString* error) const;
    void setFieldValue(const Field& field, const QJsonValue& value);
    void setFieldEmpty(const Field& field);
    void updateMarks();
    void clearFields();

    QFormLayout* m_layout;
    QLabel* m_note;
    std::vector<Field> m_fields;
    MethodInfo m_method;
    bool m_hasMethod = false;
    bool m_filling = false; // programmatic updates do not emit changed()
};

} // namespace rpcbench
