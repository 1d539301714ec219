//! Pagination: a stream of pages that follows the API's cursors, and a
//! stream of their items.

use ::std::future::Future;

use ::futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};

use super::*;

/// The pages of a cursor-paginated operation: `fetch(cursor)` gets a page,
/// `next_cursor` reads the cursor of the page after it. Stops after a page
/// without a cursor, or whose cursor was already used (the API would send
/// the same pages again), and after the first error.
pub(crate) fn paginate<'a, P, F, Fut, N>(start: Option<String>, fetch: F, next_cursor: N) -> BoxStream<'a, Result<P, Error>>
where
    F: FnMut(Option<String>) -> Fut + Send + 'a,
    Fut: Future<Output = Result<P, Error>> + Send + 'a,
    N: Fn(&P) -> Option<String> + Send + 'a,
    P: Send + 'a,
{
    struct State<F, N> {
        fetch: F,
        next_cursor: N,
        cursor: Option<String>,
        seen: ::std::collections::HashSet<String>,
        done: bool,
    }
    let seen = start.iter().cloned().collect();
    let state = State { fetch, next_cursor, cursor: start, seen, done: false };
    stream::unfold(state, |mut state| async move {
        if state.done {
            return None;
        }
        let result = (state.fetch)(state.cursor.take()).await;
        match &result {
            Ok(page) => match (state.next_cursor)(page).filter(|c| !c.is_empty()) {
                Some(cursor) if state.seen.insert(cursor.clone()) => state.cursor = Some(cursor),
                Some(_) => {
                    ::tracing::warn!("the API sent a cursor it had sent before; stopping the pagination");
                    state.done = true;
                }
                None => state.done = true,
            },
            Err(_) => state.done = true,
        }
        Some((result, state))
    })
    .boxed()
}

/// The items of each page, one by one.
pub(crate) fn items<'a, P, I, F>(pages: BoxStream<'a, Result<P, Error>>, of_page: F) -> BoxStream<'a, Result<I, Error>>
where
    F: Fn(P) -> Vec<I> + Send + 'a,
    P: Send + 'a,
    I: Send + 'a,
{
    pages.map_ok(move |page| stream::iter(of_page(page).into_iter().map(Ok))).try_flatten().boxed()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pages `[start..]` of `cursors`: each page is its cursor, and names the next.
    async fn walk(cursors: &'static [Option<&'static str>], fail_at: Option<usize>) -> Vec<Result<String, String>> {
        let fetch = move |cursor: Option<String>| async move {
            let at = cursor.as_deref().map_or(0, |c| c.parse::<usize>().unwrap());
            if Some(at) == fail_at {
                return Err(Error::InvalidRequest(format!("page {at}")));
            }
            Ok((at, cursors[at]))
        };
        paginate(None, fetch, |page: &(usize, Option<&str>)| page.1.map(String::from))
            .map(|r| r.map(|(at, _)| at.to_string()).map_err(|e| e.to_string()))
            .collect()
            .await
    }

    #[tokio::test]
    async fn the_walk_follows_cursors_and_stops() {
        assert_eq!(walk(&[Some("1"), Some("2"), None], None).await, [Ok("0".into()), Ok("1".into()), Ok("2".into())]);
        // An empty cursor is none.
        assert_eq!(walk(&[Some("")], None).await, [Ok("0".into())]);
        // A cursor sent before ends the walk.
        assert_eq!(walk(&[Some("1"), Some("1")], None).await, [Ok("0".into()), Ok("1".into())]);
        // An error ends it after the pages before it.
        let pages = walk(&[Some("1"), Some("2"), None], Some(1)).await;
        assert_eq!(pages, [Ok("0".into()), Err("invalid request: page 1".into())]);
    }
}
