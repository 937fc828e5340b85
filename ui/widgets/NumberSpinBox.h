#pragma once
// A spin box for JSON numbers. Unlike QSpinBox/QDoubleSpinBox it keeps exactly what the user
// typed: integers stay exact up to 64 bits (9007199254740993 does not become a double), and a
// value that is not a number stays visible so the form can flag it instead of silently
// refusing the keystroke. The arrows and Up/Down step valid values.

#include <QAbstractSpinBox>
#include <QJsonValue>

#include <optional>

namespace rpcbench {

class NumberSpinBox : public QAbstractSpinBox
{
    Q_OBJECT
public:
    explicit NumberSpinBox(bool integerOnly, QWidget* parent = nullptr);

    bool isIntegerOnly() const { return m_integerOnly; }
    QString text() const;
    void setText(const QString& text);
    void setPlaceholderText(const QString& text);

    // nullopt when the text is empty or not a valid number of the right kind (see error()).
    std::optional<QJsonValue> value() const;
    // Why value() is nullopt for a non-empty text ("expected an integer"); empty otherwise.
    QString error() const;

    void stepBy(int steps) override;

signals:
    void textChanged(const QString& text);

protected:
    QValidator::State validate(QString& input, int& pos) const override;
    StepEnabled stepEnabled() const override;

private:
    const bool m_integerOnly;
};

} // namespace rpcbench
