using Microsoft.Data.Sqlite;

namespace EdgeAgent.FaultTests;

/// <summary>One row of the agent's outbox, read straight from the SQLite file after the agent exited.</summary>
public sealed record OutboxRow(long Seq, string Id, long CreatedAt, long? DeliveredAt);

/// <summary>Reads an outbox file the way an auditor would: with SQLite, not with the agent's code.</summary>
public static class OutboxFile
{
    public static IReadOnlyList<OutboxRow> Rows(string path)
    {
        using var connection = Open(path);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT seq, id, created_at, delivered_at FROM reads ORDER BY seq";
        using SqliteDataReader r = command.ExecuteReader();
        var rows = new List<OutboxRow>();
        while (r.Read()) rows.Add(new OutboxRow(r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.IsDBNull(3) ? null : r.GetInt64(3)));
        return rows;
    }

    /// <summary>PRAGMA integrity_check's answer: "ok" when the file is sound.</summary>
    public static string IntegrityCheck(string path)
    {
        using var connection = Open(path);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        using SqliteDataReader r = command.ExecuteReader();
        var lines = new List<string>();
        while (r.Read()) lines.Add(r.GetString(0));
        return string.Join("\n", lines);
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
