using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

using EdgeAgent.BackendSample;
using EdgeAgent.Transport.Mosquitto;

// edgeagent-backend-sample: what a backend developer copies to receive EdgeAgent units' messages. See
// samples/backend/README.md. MQTT: QoS 1 subscription to anpr/v1/#; every payload is validated against the
// contract's JSON Schema for its kind; reads are de-duplicated by id; counts, status and health per unit.

var host = new Option<string>("--host") { Description = "The broker", DefaultValueFactory = _ => "127.0.0.1" };
var port = new Option<int>("--port") { Description = "The broker's port (8883 is usual with --ca)", DefaultValueFactory = _ => 1883 };
var ca = new Option<FileInfo?>("--ca") { Description = "CA certificate (PEM) of the broker: turns TLS on" };
var cert = new Option<FileInfo?>("--cert") { Description = "The backend's client certificate (PEM), with --key" };
var key = new Option<FileInfo?>("--key") { Description = "The backend's client key (PEM, unencrypted)" };
var user = new Option<string?>("--username") { Description = "MQTT user name" };
var passwordFile = new Option<FileInfo?>("--password-file") { Description = "A file holding the MQTT password" };
var clientId = new Option<string?>("--client-id") { Description = "A fixed client id: a persistent session, so reads published while the backend is away are kept for it" };
var schemas = new Option<DirectoryInfo?>("--schemas") { Description = "The contract's schemas (default: contract/v1 beside the binary)" };
var every = new Option<int>("--every") { Description = "Seconds between two fleet tables (0: only at the end)", DefaultValueFactory = _ => 30 };
var duration = new Option<int>("--duration") { Description = "Stop after this many seconds (0: until Ctrl+C)", DefaultValueFactory = _ => 0 };
var summary = new Option<FileInfo?>("--summary-json") { Description = "Write the final counts per unit as JSON here" };
var quiet = new Option<bool>("--quiet") { Description = "No line per message, only the tables" };

var root = new RootCommand("Subscribe to anpr/v1/#: validate, de-duplicate, count per camera, show each unit's status and health")
{
    host, port, ca, cert, key, user, passwordFile, clientId, schemas, every, duration, summary, quiet,
};
root.SetAction(async (parse, cancellation) =>
{
    string schemaFolder = parse.GetValue(schemas)?.FullName ?? Path.Combine(AppContext.BaseDirectory, "contract", "v1");
    ContractValidator validator = await ContractValidator.LoadAsync(schemaFolder);
    string? persistentId = parse.GetValue(clientId);
    var options = new MosquittoClientOptions
    {
        Host = parse.GetValue(host)!,
        Port = parse.GetValue(port),
        ClientId = persistentId,
        // A persistent session outlives a disconnect in MQTT 3.1.1 without a session expiry property.
        CleanStart = persistentId is null,
        Protocol = persistentId is null ? MqttProtocol.V5 : MqttProtocol.V311,
        Tls = parse.GetValue(ca) is { } caFile
            ? new MqttTls(caFile.FullName) { CertFile = parse.GetValue(cert)?.FullName, KeyFile = parse.GetValue(key)?.FullName }
            : null,
        Username = parse.GetValue(user),
        Password = parse.GetValue(passwordFile) is { } pw ? File.ReadAllText(pw.FullName).TrimEnd('\r', '\n') : null,
    };
    if (options.Validate() is { } problem)
    {
        Console.Error.WriteLine($"backend-sample: {problem}");
        return 2;
    }

    // libmosquitto calls back on its own thread; one reader handles messages in order on this one.
    var inbox = Channel.CreateUnbounded<MqttMessageEventArgs>(new UnboundedChannelOptions { SingleReader = true });
    await using var client = new MosquittoClient(options);
    client.MessageReceived += (_, m) => inbox.Writer.TryWrite(m);
    client.Connected += (_, e) =>
    {
        // After a reconnect without the old session the subscription is gone: take it again.
        if (!e.SessionPresent) client.Subscribe("anpr/v1/#", qos: 1);
    };
    try
    {
        await client.ConnectAsync(cancellation);
        await client.SubscribeAsync("anpr/v1/#", qos: 1, cancellation);
    }
    catch (MosquittoException e)
    {
        Console.Error.WriteLine($"backend-sample: {e.Message}");
        return 1;
    }
    Console.WriteLine($"backend-sample: subscribed to anpr/v1/# on {options.Endpoint} ({(options.Tls is null ? "plain" : "TLS")}); " +
                      $"validating {string.Join(", ", validator.Kinds)} against {schemaFolder}");

    var fleet = new FleetView();
    var duplicates = new DuplicateFilter();
    bool verbose = !parse.GetValue(quiet);
    using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
    // Ctrl+C and `systemctl stop`/`docker stop` (SIGTERM) end the loop in order: the table, the summary, a clean disconnect.
    using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
    using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
    if (parse.GetValue(duration) is > 0 and var seconds) stop.CancelAfter(TimeSpan.FromSeconds(seconds));
    DateTime nextTable = DateTime.UtcNow.AddSeconds(parse.GetValue(every));
    try
    {
        while (true)
        {
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            tick.CancelAfter(TimeSpan.FromSeconds(1));
            MqttMessageEventArgs? message = null;
            try
            {
                message = await inbox.Reader.ReadAsync(tick.Token);
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
                // A quiet second: time to print the table, perhaps.
            }
            if (message is not null)
            {
                string line = Handle(message, validator, fleet, duplicates);
                if (verbose || line.StartsWith("INVALID", StringComparison.Ordinal)) Console.WriteLine(line);
            }
            if (parse.GetValue(every) > 0 && DateTime.UtcNow >= nextTable)
            {
                Console.Write(fleet.Table());
                nextTable = DateTime.UtcNow.AddSeconds(parse.GetValue(every));
            }
        }
    }
    catch (OperationCanceledException)
    {
        // Ctrl+C or --duration: print what we know and leave.
    }
    Console.Write(fleet.Table());
    if (parse.GetValue(summary) is { } file) await File.WriteAllTextAsync(file.FullName, fleet.Json(), CancellationToken.None);
    await client.DisconnectAsync();
    return 0;
});
return await root.Parse(args).InvokeAsync();

static string Handle(MqttMessageEventArgs message, ContractValidator validator, FleetView fleet, DuplicateFilter duplicates)
{
    if (TopicParts.Parse(message.Topic) is not { } topic)
    {
        fleet.UnknownTopics++;
        return $"other   {message.Topic} (not a v1 topic)";
    }
    if (!validator.Knows(topic.Kind))
    {
        fleet.UnknownTopics++;
        return $"other   {topic.Unit,-24} {topic.Kind}: no schema for it here, not read";
    }
    string json = Encoding.UTF8.GetString(message.Payload.Span);
    if (validator.Problem(topic.Kind, json) is { } problem)
    {
        fleet.Unit(topic).Invalid++;
        return $"INVALID {topic.Unit,-24} {topic.Kind}: {problem}";
    }
    using JsonDocument doc = JsonDocument.Parse(json);
    JsonElement payload = doc.RootElement;
    switch (topic.Kind)
    {
        case "read":
            string id = payload.GetProperty("id").GetString()!;
            if (!duplicates.IsNew(id))
            {
                fleet.Unit(topic).Duplicates++;
                return $"dup     {topic.Unit,-24} {id} (seen before: dropped)";
            }
            return fleet.OnRead(topic, payload);
        case "status":
            return fleet.OnStatus(topic, payload, message.Retain);
        case "health":
            return fleet.OnHealth(topic, payload);
        default:
            return $"{topic.Kind,-7} {topic.Unit,-24} {json}";
    }
}
