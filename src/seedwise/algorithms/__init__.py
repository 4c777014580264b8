"""IM algorithms: each module holds one family and cites its paper."""
