-- Questions the bot could not answer whose customer, offered to pass them on
-- to a person, declined (dialog.QuestionLog): what the knowledge base may
-- lack, counted by the service report beside the questions passed on (those
-- are consultation tickets). One row per decline, by the conversation it
-- was asked in; a customer's erasure replaces the question with the erased
-- marker and keeps the row, so the counts of past reports stay.

-- +goose Up
CREATE TABLE questions_declined (
    conversation_id TEXT NOT NULL,
    channel         TEXT NOT NULL,
    question        TEXT NOT NULL,
    at              TEXT NOT NULL
) STRICT;

CREATE INDEX questions_declined_at ON questions_declined (at);
CREATE INDEX questions_declined_conversation ON questions_declined (conversation_id);

-- +goose Down
DROP TABLE questions_declined;
