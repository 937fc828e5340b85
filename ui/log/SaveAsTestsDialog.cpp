#include "log/SaveAsTestsDialog.h"

#include "collections/CollectionStore.h"
#include "proxy/TestsFromTraffic.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace rpcbench {

SaveAsTestsDialog::SaveAsTestsDialog(CollectionStore* store, std::vector<TrafficEvent> rows, QWidget* parent)
    : QDialog(parent), m_store(store), m_rows(std::move(rows)), m_collection(new QComboBox(this)),
      m_folder(new QLineEdit(this)), m_ignore(new QPlainTextEdit(this)), m_preview(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Save as tests"));
    setAttribute(Qt::WA_DeleteOnClose);
    m_collection->setObjectName(QStringLiteral("saveAsTestsCollection"));
    m_collection->setEditable(true);
    m_collection->setInsertPolicy(QComboBox::NoInsert);
    for (const Collection& c : m_store->collections())
        m_collection->addItem(c.name);
    if (m_collection->count() == 0)
        m_collection->setEditText(defaultCollectionName());
    m_folder->setObjectName(QStringLiteral("saveAsTestsFolder"));
    m_folder->setPlaceholderText(tr("none, or e.g. smoke/login"));
    m_ignore->setObjectName(QStringLiteral("saveAsTestsIgnore"));
    m_ignore->setTabChangesFocus(true);
    m_ignore->setPlaceholderText(tr("One JSON Pointer into the result per line, e.g. /timestamp"));
    m_ignore->setToolTip(tr("Fields that change on every call: the test only checks that they exist"));
    m_ignore->setFixedHeight(m_ignore->fontMetrics().lineSpacing() * 5);
    m_preview->setObjectName(QStringLiteral("saveAsTestsPreview"));
    m_preview->setWordWrap(true);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Save"));

    auto* form = new QFormLayout;
    form->addRow(tr("&Collection:"), m_collection);
    form->addRow(tr("&Folder:"), m_folder);
    form->addRow(tr("&Ignore fields:"), m_ignore);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_preview);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &SaveAsTestsDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &SaveAsTestsDialog::reject);
    connect(m_ignore, &QPlainTextEdit::textChanged, this, &SaveAsTestsDialog::refresh);
    connect(m_collection, &QComboBox::editTextChanged, this, &SaveAsTestsDialog::refresh);
    refresh();
}

std::optional<QStringList> SaveAsTestsDialog::ignorePointers(QString* error) const
{
    QStringList pointers;
    const QStringList lines = m_ignore->toPlainText().split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        // Spaces around a pointer are stray typing; member names with edge spaces are too rare to
        // make every pasted line with a trailing blank an error.
        const QString pointer = lines.at(i).trimmed();
        if (pointer.isEmpty())
            continue;
        QString why;
        if (!isValidIgnorePointer(pointer, &why)) {
            *error = tr("Line %1: %2").arg(i + 1).arg(why);
            return std::nullopt;
        }
        pointers << pointer;
    }
    return pointers;
}

// Recomputed per keystroke: the selection is what a user picked by hand, a few hundred rows at
// most in practice, and converting them parses no more than their own bytes.
void SaveAsTestsDialog::refresh()
{
    QString error;
    const std::optional<QStringList> ignore = ignorePointers(&error);
    QString note;
    m_calls = ignore ? savedCallsFromTraffic(m_rows, *ignore, &note) : QList<SavedCall>{};
    if (!ignore)
        m_preview->setText(error);
    else if (m_calls.isEmpty())
        m_preview->setText(note.isEmpty() ? tr("Nothing to save: the selection holds no calls.")
                                          : tr("Nothing to save: %1.").arg(note));
    else
        m_preview->setText(
            (m_calls.size() == 1
                 ? tr("1 call will be saved, asserting its recorded reply.")
                 : tr("%1 calls will be saved, each asserting its recorded reply.").arg(m_calls.size())) +
            (note.isEmpty() ? QString() : QLatin1Char(' ') + note + QLatin1Char('.')));
    const bool named = !m_collection->currentText().trimmed().isEmpty();
    if (ignore && !m_calls.isEmpty() && !named)
        m_preview->setText(tr("Name the collection to save to."));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(ignore && !m_calls.isEmpty() && named);
}

void SaveAsTestsDialog::accept()
{
    refresh();
    const QString name = m_collection->currentText().trimmed();
    if (m_calls.isEmpty() || name.isEmpty())
        return; // the preview says why
    for (const SavedCall& call : std::as_const(m_calls))
        m_store->saveCall(name, m_folder->text().trimmed(), call);
    emit saved(int(m_calls.size()), name);
    QDialog::accept();
}

} // namespace rpcbench
