// Each test runs real processes that need the machine's two cores to themselves, and some time out on a
// broker outage of a fixed length: run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
